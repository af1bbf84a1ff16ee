import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { SubjectNetworkView } from '../../contracts.js';

/** Drawing size on a wide screen; narrower containers draw at their own width (labels stay readable on a phone). */
const WIDE = 720;
const WIDE_H = 460;
/** The viewBox follows the container's width in pixels, so a label of 12 units is 12 px on any screen. */
function drawingSize(width: number) {
  const w = Math.max(300, Math.min(WIDE, Math.round(width)));
  return { W: w, H: w < 560 ? Math.round(w * 1.25) : WIDE_H };
}
const KIND_COLOUR: Record<string, string> = { person: '#1f4e79', company: '#7a4f01', vehicle: '#2e7d32', vessel: '#00695c', phone: '#6a1b9a', bank_account: '#ad1457', online_shop: '#c62828' };

/**
 * A light force layout (springs on links, repulsion between all nodes, a pull to the centre), run a fixed
 * number of steps from positions seeded by index: the same network always draws the same way.
 */
function layout(net: SubjectNetworkView, W: number, H: number) {
  const n = net.nodes.length;
  const index = new Map(net.nodes.map((x, i) => [x.id, i]));
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  net.nodes.forEach((node, i) => {
    const a = i * 2.399963; // golden angle: an even spiral to start from
    const r = node.depth === 0 ? 0 : 40 + 12 * Math.sqrt(i);
    x[i] = W / 2 + r * Math.cos(a);
    y[i] = H / 2 + r * Math.sin(a);
  });
  const links = net.links.flatMap((l) => {
    const s = index.get(l.source);
    const t = index.get(l.target);
    return s === undefined || t === undefined ? [] : [[s, t] as const];
  });
  const steps = n > 200 ? 120 : 250;
  const k = Math.sqrt((W * H) / Math.max(1, n)) * 0.6;
  for (let step = 0; step < steps; step++) {
    const dx = new Float64Array(n);
    const dy = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const ex = x[i]! - x[j]!;
        const ey = y[i]! - y[j]!;
        const d2 = Math.max(1, ex * ex + ey * ey);
        const f = (k * k) / d2;
        dx[i]! += ex * f * 0.05;
        dy[i]! += ey * f * 0.05;
        dx[j]! -= ex * f * 0.05;
        dy[j]! -= ey * f * 0.05;
      }
    }
    for (const [s, t] of links) {
      const ex = x[t]! - x[s]!;
      const ey = y[t]! - y[s]!;
      const d = Math.max(1, Math.hypot(ex, ey));
      const f = (d - k) / d * 0.1;
      dx[s]! += ex * f;
      dy[s]! += ey * f;
      dx[t]! -= ex * f;
      dy[t]! -= ey * f;
    }
    const cool = 1 - step / steps;
    for (let i = 0; i < n; i++) {
      dx[i]! += (W / 2 - x[i]!) * 0.01;
      dy[i]! += (H / 2 - y[i]!) * 0.01;
      const m = Math.hypot(dx[i]!, dy[i]!);
      const cap = 20 * cool + 1;
      const s = m > cap ? cap / m : 1;
      x[i] = Math.min(W - 20, Math.max(20, x[i]! + dx[i]! * s));
      y[i] = Math.min(H - 20, Math.max(20, y[i]! + dy[i]! * s));
    }
  }
  return { x, y, index };
}

export function NetworkView({ net, label, directorLabel }: { net: SubjectNetworkView; label: string; directorLabel: string }) {
  const navigate = useNavigate();
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(WIDE);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setWidth(el.clientWidth || WIDE);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const { W, H } = drawingSize(width);
  const { x, y, index } = useMemo(() => layout(net, W, H), [net, W, H]);
  return (
    <div ref={box} className="network-box">
      <svg className="network-svg" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        {net.links.map((l) => {
          const s = index.get(l.source)!;
          const t = index.get(l.target)!;
          return (
            <line key={`${l.source}-${l.target}`} x1={x[s]} y1={y[s]} x2={x[t]} y2={y[t]} stroke={l.director ? KIND_COLOUR.company : '#8aa1b5'} strokeWidth={Math.min(6, 1 + l.cases)} strokeDasharray={l.cases === 0 ? '4 3' : undefined} data-director={l.director ?? undefined}>
              <title>{[`${l.cases}`, ...(l.director ? [`${net.nodes.find((n) => n.id === l.director)?.name ?? ''}: ${directorLabel}`] : []), ...l.shared].join(' · ')}</title>
            </line>
          );
        })}
        {net.nodes.map((node, i) => (
          <g
            key={node.id}
            className="network-node"
            transform={`translate(${x[i]},${y[i]})`}
            onClick={() => navigate(`/subjects/${node.id}`)}
            role="link"
            tabIndex={0}
            onKeyDown={(e) => e.key === 'Enter' && navigate(`/subjects/${node.id}`)}
            data-subject={node.id}
          >
            <circle r={node.depth === 0 ? 11 : 6 + Math.min(6, node.caseCount)} fill={KIND_COLOUR[node.kind] ?? '#555'} stroke={node.depth === 0 ? '#f4b400' : '#fff'} strokeWidth={node.depth === 0 ? 3 : 1.5} />
            {(net.nodes.length <= 60 || node.depth === 0) && (
              // on the right half the label reads leftwards, so it is not cut at the edge
              <text x={x[i]! > W / 2 ? -12 : 12} y={4} fontSize={12} textAnchor={x[i]! > W / 2 ? 'end' : 'start'}>
                {node.name}
              </text>
            )}
            <title>{node.name}</title>
          </g>
        ))}
      </svg>
    </div>
  );
}
