/**
 * Blocking: which record pairs are worth comparing. Every record gives several keys (phonetic names,
 * date of birth, identifiers, address numbers, and sorted neighbourhoods over the whole file). Records
 * sharing a key are compared — every pair in a small group, a sliding window in the key's sort order in
 * a large one — so one common name never makes the work quadratic.
 */
import type { KindModel, PreparedRecord } from './model.js';

export interface BlockingOptions {
  /** Groups up to this size are compared pair by pair. */
  maxBlockSize: number;
  /** In larger groups (and sorted neighbourhoods) each record meets the next `window` records. */
  window: number;
  /** With two inputs, only pairs across them. */
  linkOnly: boolean;
}

export const DEFAULT_BLOCKING: BlockingOptions = { maxBlockSize: 24, window: 8, linkOnly: false };

/** Candidate pairs as two parallel arrays of record indexes (left < right), without repeats. */
export interface CandidatePairs {
  left: Int32Array;
  right: Int32Array;
  /** Pairs each key type proposed before repeats were removed (for the report). */
  perKey: Record<string, number>;
}

class PairBuffer {
  private buf = new Float64Array(1 << 20);
  private n = 0;
  private compactedAt = 0;
  constructor(private readonly stride: number) {}
  add(i: number, j: number) {
    if (this.n === this.buf.length) this.grow();
    this.buf[this.n++] = i < j ? i * this.stride + j : j * this.stride + i;
  }
  private grow() {
    // remove repeats before growing: most keys re-find pairs earlier keys found
    if (this.n - this.compactedAt > this.buf.length / 4) {
      this.compact();
      if (this.n < this.buf.length * 0.75) return;
    }
    const next = new Float64Array(this.buf.length * 2);
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }
  compact() {
    const view = this.buf.subarray(0, this.n).sort();
    let w = 0;
    for (let r = 0; r < view.length; r++) if (r === 0 || view[r] !== view[r - 1]) view[w++] = view[r]!;
    this.n = w;
    this.compactedAt = w;
  }
  result(): { left: Int32Array; right: Int32Array } {
    this.compact();
    const left = new Int32Array(this.n);
    const right = new Int32Array(this.n);
    for (let k = 0; k < this.n; k++) {
      const v = this.buf[k]!;
      left[k] = Math.floor(v / this.stride);
      right[k] = v - left[k]! * this.stride;
    }
    return { left, right };
  }
}

/** One key type's keys, one entry per (record, key): which record, its group and its sort string. */
interface KeysOfType {
  idx: number[];
  groups: (string | number)[];
  sorts: string[];
}

/**
 * Entries of one key type ordered by group, then by sort string, then by record: groups numbered by a
 * hash map and laid out by counting (linear), and only groups larger than `maxBlockSize` sorted (the
 * sliding window needs their order; small groups compare all pairs, in any order). Sorting every key
 * as one `group\0sort` string was most of blocking's time on a million records.
 */
function orderByGroup(t: KeysOfType, maxBlockSize: number): { order: Int32Array; starts: number[] } {
  const count = t.idx.length;
  const groupId = new Int32Array(count);
  const ids = new Map<string | number, number>();
  const sizes: number[] = [];
  for (let k = 0; k < count; k++) {
    let id = ids.get(t.groups[k]!);
    if (id === undefined) {
      id = sizes.length;
      ids.set(t.groups[k]!, id);
      sizes.push(0);
    }
    groupId[k] = id;
    sizes[id]!++;
  }
  const starts = new Array<number>(sizes.length + 1);
  starts[0] = 0;
  for (let g = 0; g < sizes.length; g++) starts[g + 1] = starts[g]! + sizes[g]!;
  const fill = starts.slice(0, sizes.length);
  const order = new Int32Array(count);
  for (let k = 0; k < count; k++) order[fill[groupId[k]!]!++] = k; // stable: entries keep record order
  for (let g = 0; g < sizes.length; g++) {
    if (sizes[g]! <= maxBlockSize) continue;
    const { sorts } = t;
    // Array sort is stable, so records with equal sort strings stay in record order
    const sorted = Array.from(order.subarray(starts[g]!, starts[g + 1]!)).sort((a, b) => (sorts[a]! < sorts[b]! ? -1 : sorts[a]! > sorts[b]! ? 1 : 0));
    order.set(sorted, starts[g]!);
  }
  return { order, starts };
}

export function candidatePairs(records: readonly PreparedRecord[], model: KindModel, options: BlockingOptions = DEFAULT_BLOCKING): CandidatePairs {
  const n = records.length;
  // Keys grouped by type (the text before the first ':'), each type ordered on its own to keep memory flat.
  const byType = new Map<string, KeysOfType>();
  for (let i = 0; i < n; i++) {
    const keys = model.codedBlockingKeys ? model.codedBlockingKeys(records[i]!) : model.blockingKeys(records[i]!).map((k) => ({ type: k.group.slice(0, k.group.indexOf(':')), group: k.group, sort: k.sort }));
    for (const k of keys) {
      const type = k.type;
      let t = byType.get(type);
      if (!t) byType.set(type, (t = { idx: [], groups: [], sorts: [] }));
      t.idx.push(i);
      t.groups.push(k.group);
      t.sorts.push(k.sort);
    }
  }
  const pairs = new PairBuffer(n + 1);
  const perKey: Record<string, number> = {};
  const source = records.map((r) => r.source);
  const { maxBlockSize, window, linkOnly } = options;
  for (const [type, t] of byType) {
    const { order, starts } = orderByGroup(t, maxBlockSize);
    let count = 0;
    const emit = (a: number, b: number) => {
      const i = t.idx[order[a]!]!;
      const j = t.idx[order[b]!]!;
      if (i === j || (linkOnly && source[i] === source[j])) return;
      pairs.add(i, j);
      count++;
    };
    for (let g = 0; g + 1 < starts.length; g++) {
      const start = starts[g]!;
      const end = starts[g + 1]!;
      if (end - start <= maxBlockSize) {
        for (let a = start; a < end; a++) for (let b = a + 1; b < end; b++) emit(a, b);
      } else {
        for (let a = start; a < end; a++) for (let b = a + 1; b < Math.min(end, a + 1 + window); b++) emit(a, b);
      }
    }
    perKey[type] = count;
    byType.delete(type); // free this type's keys before the next
  }
  return { ...pairs.result(), perKey };
}
