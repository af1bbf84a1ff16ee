import { useMemo, type MouseEvent, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { formatNumber, type ProvinceShapes, type SituationReport } from '../../contracts.js';
import { useLocale, useT } from '../../i18n/i18n.js';
// A pure data module (no imports): taken by path so the bundle does not pull in the reference package's file importers.
import { PROVINCE_POINTS } from '@cordon/reference/province-points';
import { drillHref } from './drill.js';

// Equirectangular projection of a fixed frame that holds the mainland and both archipelagos
// (Hoàng Sa, Trường Sa): degrees → SVG units, longitude shrunk by cos(mid-latitude).
const LON0 = 102.0;
const LON1 = 117.2;
const LAT0 = 6.8;
const LAT1 = 23.6;
const SCALE = 30; // SVG units per degree of latitude
const KX = Math.cos((((LAT0 + LAT1) / 2) * Math.PI) / 180);
const W = Math.round((LON1 - LON0) * KX * SCALE);
const H = Math.round((LAT1 - LAT0) * SCALE);
const px = (lon: number) => (lon - LON0) * KX * SCALE;
const py = (lat: number) => (LAT1 - lat) * SCALE;
const MAX_R = 24;

/** Where the archipelagos are written when no outlines are loaded (they belong to Đà Nẵng and Khánh Hòa). */
const ARCHIPELAGOS = [
  { key: 'reports.map.hoangSa', lon: 112.0, lat: 16.5 },
  { key: 'reports.map.truongSa', lon: 114.3, lat: 10.0 },
] as const;

type Ring = [number, number][];

function pathOf(geometry: ProvinceShapes['features'][number]['geometry']): string {
  const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as Ring[][];
  let d = '';
  for (const poly of polygons) {
    for (const ring of poly) {
      ring.forEach(([lon, lat], i) => {
        d += `${i ? 'L' : 'M'}${px(lon).toFixed(1)} ${py(lat).toFixed(1)}`;
      });
      d += 'Z';
    }
  }
  return d;
}

interface Label {
  code: string;
  text: string;
  x: number;
  y: number;
}

/** Keeps the labels (largest first) that do not overlap one already placed; 12px text ≈ 7 units a letter. */
function placeLabels(candidates: Label[]): Label[] {
  const placed: (Label & { w: number })[] = [];
  for (const c of candidates) {
    const w = c.text.length * 7;
    const clash = placed.some((p) => c.x < p.x + p.w && p.x < c.x + w && Math.abs(c.y - p.y) < 14);
    if (!clash && c.x + w <= W) placed.push({ ...c, w });
  }
  return placed;
}

/**
 * Five shades from pale to dark blue; index 0 is "no cases". Classes on a square-root scale: counts are
 * skewed (a few big provinces), and a linear scale would paint almost every province the palest shade.
 */
const SHADES = ['#eef2f5', '#cfe0ef', '#9ec2e0', '#5f97c6', '#2b6aa3', '#0d3f6e'];
const shadeOf = (value: number, max: number) => (value <= 0 ? 0 : Math.min(5, Math.max(1, Math.ceil(Math.sqrt(value / max) * 5))));
const classTop = (i: number, max: number) => Math.ceil(((i + 1) / 5) ** 2 * max);

/**
 * Cases by province on a map: a choropleth when province outlines have been imported, otherwise
 * circles at each province's label point with area proportional to the count. Each province links to
 * its cases (keyboard: Tab to a province, Enter).
 */
export function ProvinceMap({ report, byProvince, shapes }: { report: SituationReport; byProvince: SituationReport['breakdown']; shapes: ProvinceShapes | null }) {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const counts = useMemo(() => new Map((byProvince?.rows ?? []).map((r) => [r.key, { label: r.label, value: r.figures.cases.value }])), [byProvince]);
  const paths = useMemo(() => (shapes ? shapes.features.map((f) => ({ code: f.properties.code, name: locale === 'vi' ? f.properties.name : f.properties.nameEn, d: pathOf(f.geometry) })) : null), [shapes, locale]);
  const max = Math.max(1, ...[...counts.values()].map((c) => c.value));
  const radius = (value: number) => (value > 0 ? Math.max(3, Math.sqrt(value / max) * MAX_R) : 2);
  // Big circles first, so the small ones stay on top and can be clicked.
  const points = [...PROVINCE_POINTS].sort((a, b) => (counts.get(b.code)?.value ?? 0) - (counts.get(a.code)?.value ?? 0));
  const labels = paths ? [] : placeLabels(points.slice(0, 8).filter((pt) => (counts.get(pt.code)?.value ?? 0) > 0).map((pt) => ({ code: pt.code, text: counts.get(pt.code)!.label, x: px(pt.lon) + radius(counts.get(pt.code)!.value) + 4, y: py(pt.lat) })));

  const go = (href: string) => (e: MouseEvent) => {
    e.preventDefault();
    navigate(href);
  };
  const provinceLink = (code: string, name: string, value: number, shape: ReactNode) => {
    const href = drillHref(report, 'province', code)!;
    const label = t('reports.map.provinceLink', { province: name, n: formatNumber(value, locale) });
    return (
      <a key={code} href={href} onClick={go(href)} aria-label={label} className="map-link">
        <title>{label}</title>
        {shape}
      </a>
    );
  };

  return (
    <figure className="map">
      <svg viewBox={`0 0 ${W} ${H}`} className="map-svg" role="group" aria-label={t('reports.map.title')}>
        <rect x={0} y={0} width={W} height={H} className="map-sea" />
        {paths
          ? paths.map((p) => {
              const c = counts.get(p.code);
              const value = c?.value ?? 0;
              return provinceLink(p.code, c?.label ?? p.name, value, <path d={p.d} fill={SHADES[shadeOf(value, max)]} className="map-province" />);
            })
          : points.map((pt) => {
              const c = counts.get(pt.code);
              const value = c?.value ?? 0;
              const r = radius(value);
              return provinceLink(
                pt.code,
                c?.label ?? pt.name,
                value,
                <>
                  <circle cx={px(pt.lon)} cy={py(pt.lat)} r={r} className={value > 0 ? 'map-circle' : 'map-dot'} />
                  {/* a wider invisible target, so small circles can be hit with a finger */}
                  <circle cx={px(pt.lon)} cy={py(pt.lat)} r={Math.max(r, 9)} className="map-hit" />
                </>,
              );
            })}
        {labels.map((l) => (
          <text key={l.code} x={l.x} y={l.y} className="map-label" dominantBaseline="middle" aria-hidden="true">
            {l.text}
          </text>
        ))}
        {ARCHIPELAGOS.map((a) => (
            <g key={a.key} aria-hidden="true">
              {!paths && <circle cx={px(a.lon)} cy={py(a.lat)} r={2} className="map-island" />}
              <text x={px(a.lon)} y={py(a.lat) + 14} className="map-note" textAnchor="middle">
                {t(a.key)}
              </text>
            </g>
          ))}
      </svg>
      <figcaption className="small muted">
        {paths ? (
          <span className="map-scale" aria-hidden="true">
            {SHADES.slice(1).map((c, i) => (
              <span key={c} style={{ background: c }} title={`≤ ${formatNumber(classTop(i, max), locale)}`} />
            ))}
            <span className="map-scale-text">
              1 – {formatNumber(max, locale)}
            </span>
          </span>
        ) : null}
        {paths ? t('reports.map.choroplethNote') : t('reports.map.circlesNote', { n: formatNumber(max, locale) })}
      </figcaption>
    </figure>
  );
}
