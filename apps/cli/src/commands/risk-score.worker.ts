// One scoring worker of `cordon risk score` (risk-score.ts): scores the slices it is given and keeps
// their declarations until it formats their output lines.
import { parentPort, workerData } from 'node:worker_threads';
import type { WasmModule } from '@cordon/engine';
import { formatSlice, scoreSlice, sliceContext, type SliceContext, type Slice, type SliceInit, type SliceState } from './risk-score.js';

const { init, bytes } = workerData as { init: SliceInit; bytes: Uint8Array };
let ctx: SliceContext | undefined;
const states = new Map<number, SliceState>();
const enc = new TextEncoder();
const port = parentPort!;

type Message = { op: 'init'; module: WasmModule } | { id: string; op: 'score'; k: number; slice: Slice } | { id: string; op: 'format'; k: number; codes: Uint8Array };

// The first message is 'init' with the trees' WebAssembly module compiled by the main thread.
port.on('message', (m: Message) => {
  if (m.op === 'init') {
    ctx = sliceContext(init, undefined, m.module);
    return;
  }
  try {
    if (m.op === 'score') {
      const { scored, state } = scoreSlice(ctx!, bytes, m.slice);
      if (state) states.set(m.k, state);
      port.postMessage({ id: m.id, ok: true, value: scored }, [scored.forced.buffer as ArrayBuffer]); // raw stays: phase 2 prints it
    } else {
      const out = enc.encode(formatSlice(states.get(m.k)!, m.codes));
      states.delete(m.k);
      port.postMessage({ id: m.id, ok: true, value: out }, [out.buffer as ArrayBuffer]);
    }
  } catch (err) {
    port.postMessage({ id: m.id, ok: false, error: (err as Error).message });
  }
});
