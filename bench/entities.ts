// `npm run bench -- entities [--n 100000] [--big 1000000]`: entity resolution's figures (issue 7).
//  (a) quality: precision / recall / F1 on each Febrl set and the personaldata pair in ../shared/data,
//      each through `cordon entities resolve` and `cordon entities evaluate` with the one mapping file
//      docs/entity-resolution.md shows for it (goal F1 ≥ 0.95 each), plus blocking's pair completeness;
//  (b) throughput: generated Vietnamese person records with planted duplicates (diacritics dropped,
//      name order swapped, typos, +84 phones, missing fields), resolved in-process; records/s, wall time,
//      peak RSS and the F1 against the planted truth (goal: 1,000,000 in under 5 minutes on 2 cores).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { candidatePairs, DEFAULT_BLOCKING, evaluatePairs, KIND_MODELS, prepareRecord, resolveEntities, type EntityRecord } from '@cordon/engine';
// The CLI (and through it the server) is imported only by the quality suite: the generator and the
// throughput run below load the engine alone, so they run while other features are mid-change.
type EntitiesCli = typeof import('../apps/cli/src/commands/entities.js');
import type { Figure } from './cases.js';
import { mulberry32 } from '@cordon/engine';

const DATA = process.env.CORDON_SHARED_DATA ?? join(import.meta.dirname, '../../shared/data');
const ER = join(DATA, 'entity-resolution');
const log = (s: string) => process.stderr.write(s + '\n');
const arg = (argv: string[], name: string, dflt: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};

/** The mapping files, exactly as docs/entity-resolution.md shows them. */
export const FEBRL_MAPPING = {
  kind: 'person',
  id: 'rec_id',
  separator: ',',
  fields: {
    givenName: 'given_name',
    familyName: 'surname',
    fullName: null,
    dob: 'date_of_birth',
    dobFormat: 'yyyyMMdd',
    idNumber: 'soc_sec_id',
    phone: null,
    address: ['street_number', 'address_1', 'address_2', 'suburb', 'postcode', 'state'],
  },
};
export const PERSONALDATA_MAPPING = {
  kind: 'person',
  id: 'record_id',
  separator: ';',
  fields: {
    givenName: 'first_name',
    familyName: 'last_name',
    dob: 'birthdate',
    dobFormat: 'yyyy-MM-dd',
    phone: 'phone_number',
    address: ['street_address', 'city', 'postcode'],
  },
};

interface QualitySet {
  name: string;
  inputs: string[];
  truth: string;
  mapping: object;
}

export const QUALITY_SETS: QualitySet[] = [
  ...[1, 2, 3].map((k) => ({ name: `febrl${k}`, inputs: [join(ER, `febrl/dataset${k}.csv`)], truth: join(ER, `febrl/dataset${k}_true_pairs.csv`), mapping: FEBRL_MAPPING })),
  {
    name: 'personaldata',
    inputs: [join(ER, 'personaldata/personaldata1000A.csv'), join(ER, 'personaldata/personaldata1000B.csv')],
    truth: join(ER, 'personaldata/true_links_A_B.csv'),
    mapping: PERSONALDATA_MAPPING,
  },
];

/** Share of true pairs blocking puts in front of the comparator. */
function pairCompleteness(set: QualitySet, mapPath: string, { readEntityFile, readMapping, readPairs }: EntitiesCli): { completeness: number; candidates: number } {
  const mapping = readMapping(mapPath);
  const recs = set.inputs.flatMap((f, s) => readEntityFile(f, mapping, s).records);
  const prepared = recs.map((r) => prepareRecord(mapping.kind, r, mapping.dobFormat));
  const c = candidatePairs(prepared, KIND_MODELS[mapping.kind], { ...DEFAULT_BLOCKING, linkOnly: set.inputs.length === 2 });
  const found = new Set<string>();
  for (let k = 0; k < c.left.length; k++) {
    const a = prepared[c.left[k]!]!.id;
    const b = prepared[c.right[k]!]!.id;
    found.add(a < b ? `${a} ${b}` : `${b} ${a}`);
  }
  const truth = readPairs(set.truth);
  const hit = truth.filter(([a, b]) => found.has(a < b ? `${a} ${b}` : `${b} ${a}`)).length;
  return { completeness: hit / truth.length, candidates: c.left.length };
}

async function qualitySuite(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'cordon-er-'));
  const out: string[] = [];
  const { buildProgram } = await import('../apps/cli/src/program.js');
  const cli: EntitiesCli = await import('../apps/cli/src/commands/entities.js');
  const program = () => buildProgram({ openDb: () => Promise.reject(new Error('no database needed')), out: (l) => out.push(l), err: (l) => log(l) });
  try {
    for (const set of QUALITY_SETS) {
      const mapPath = join(dir, `${set.name}.json`);
      writeFileSync(mapPath, JSON.stringify(set.mapping));
      const pairsPath = join(dir, `${set.name}.pairs.csv`);
      const t0 = performance.now();
      await program().parseAsync(['node', 'cordon', 'entities', 'resolve', ...set.inputs.flatMap((f) => ['--input', f]), '--mapping', mapPath, '--out', pairsPath, '--json']);
      const seconds = (performance.now() - t0) / 1000;
      const e = cli.evaluateFiles(pairsPath, set.truth);
      const pc = pairCompleteness(set, mapPath, cli);
      const records = set.inputs.reduce((n, f) => n + readFileSync(f, 'utf8').trim().split('\n').length - 1, 0);
      const suite = `entities/quality`;
      figures.push({ suite, name: `${set.name} F1`, n: records, unit: 'F1', value: e.f1 });
      figures.push({ suite, name: `${set.name} precision`, n: e.found, unit: 'precision', value: e.precision });
      figures.push({ suite, name: `${set.name} recall`, n: e.truth, unit: 'recall', value: e.recall });
      figures.push({ suite, name: `${set.name} pair completeness`, n: pc.candidates, unit: 'share of true pairs blocked together', value: pc.completeness });
      figures.push({ suite, name: `${set.name} resolve (CLI, incl. parsing)`, n: records, unit: 's', value: seconds });
      log(`${set.name}: P ${e.precision.toFixed(4)} R ${e.recall.toFixed(4)} F1 ${e.f1.toFixed(4)}; pair completeness ${pc.completeness.toFixed(4)} over ${pc.candidates} candidate pairs; ${seconds.toFixed(1)} s`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

// ------------------------------------------------------------------ generated subjects

function csvColumn(path: string, column: string): string[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const i = head!.split(',').indexOf(column);
  return lines.map((l) => l.split(',')[i]!).filter(Boolean);
}

const stripMarks = (s: string) => s.normalize('NFD').replace(/\p{M}+/gu, '').replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D'));

/**
 * `n` person records: about 70% distinct people, the rest re-recorded by another agency with the usual
 * damage. Returns the records and the true pairs (every pair of records of one person).
 */
export function generateSubjects(n: number, seed = 11): { records: EntityRecord[]; truth: [string, string][] } {
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  // family names weighted by their share in the south (Nguyễn ≈ 31%): blocks as lopsided as real ones
  const weights = readFileSync(join(DATA, 'names/vn_surname_weights_by_region.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const fams = weights.filter((w) => w[0] === 'south').map((w) => ({ name: w[1]!, share: Number(w[4]) }));
  const totalShare = fams.reduce((s, f) => s + f.share, 0);
  const family = () => {
    let x = r() * totalShare;
    for (const f of fams) if ((x -= f.share) <= 0) return f.name;
    return fams[0]!.name;
  };
  const givens = csvColumn(join(DATA, 'names/vn_given_names.csv'), 'name');
  const provinces = ['Hà Nội', 'TP. Hồ Chí Minh', 'Hải Phòng', 'Lạng Sơn', 'Quảng Ninh', 'An Giang', 'Tây Ninh', 'Lào Cai', 'Cao Bằng', 'Đồng Tháp'];
  const streets = ['Lê Lợi', 'Trần Hưng Đạo', 'Nguyễn Trãi', 'Hai Bà Trưng', 'Lý Thường Kiệt', 'Quang Trung', 'Điện Biên Phủ', 'Hùng Vương'];
  const typo = (s: string) => {
    if (s.length < 3) return s;
    const i = 1 + Math.floor(r() * (s.length - 2));
    return r() < 0.5 ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
  };
  interface Person { family: string; given: string; dob: [number, number, number]; cccd: string; phone: string; address: string }
  const people: Person[] = [];
  // mulberry32 gives 2^32 values, so r() · 10^12 repeats by the birthday bound: 6 CCCDs shared by two
  // planted people at 300,000 records, 79 at 1,000,000 — identifier links between different people the
  // truth calls wrong. A repeat moves to the next free number (no extra draws: the data stay the same).
  const usedCccd = new Set<string>();
  const uniqueCccd = (x: number) => {
    let v = x;
    while (usedCccd.has(String(v).padStart(12, '0'))) v = (v + 1) % 1e12;
    const s = String(v).padStart(12, '0');
    usedCccd.add(s);
    return s;
  };
  const records: EntityRecord[] = [];
  const byPerson: number[][] = [];
  const write = (p: Person, pi: number, damaged: boolean) => {
    let full = `${p.family} ${p.given}`;
    if (damaged) {
      if (r() < 0.5) full = stripMarks(full);
      if (r() < 0.3) full = full.toUpperCase();
      if (r() < 0.2) {
        const w = full.split(' ');
        full = `${w[w.length - 1]} ${w[0]}`; // "Hùng Nguyễn": given then family, middle dropped
      }
      if (r() < 0.25) full = typo(full);
    }
    const [y, m, d] = p.dob;
    const dobDamaged = damaged && r() < 0.1;
    const dob = r() < (damaged ? 0.15 : 0.05) ? '' : `${String(dobDamaged ? m : d).padStart(2, '0')}/${String(dobDamaged ? d : m).padStart(2, '0')}/${y}`;
    const values: EntityRecord['values'] = { fullName: full };
    if (dob) values.dob = dob;
    if (r() < (damaged ? 0.5 : 0.7)) values.idNumber = p.cccd;
    if (r() < 0.6) values.phone = damaged && r() < 0.5 ? `+84 ${p.phone.slice(1, 4)} ${p.phone.slice(4)}` : p.phone;
    if (r() < 0.7) values.address = damaged && r() < 0.5 ? stripMarks(p.address).replace('Phường', 'P.') : p.address;
    const id = `s${records.length}`;
    records.push({ id, source: 0, values });
    (byPerson[pi] ??= []).push(records.length - 1);
  };
  while (records.length < n) {
    if (people.length < 10 || r() < 0.7) {
      const p: Person = {
        family: family(),
        given: pick(givens),
        dob: [1950 + Math.floor(r() * 55), 1 + Math.floor(r() * 12), 1 + Math.floor(r() * 28)],
        cccd: uniqueCccd(Math.floor(r() * 1e12)),
        phone: `09${String(Math.floor(r() * 1e8)).padStart(8, '0')}`,
        address: `${1 + Math.floor(r() * 300)} ${pick(streets)}, Phường ${1 + Math.floor(r() * 20)}, ${pick(provinces)}`,
      };
      people.push(p);
      write(p, people.length - 1, false);
    } else {
      const pi = Math.floor(r() * people.length);
      write(people[pi]!, pi, true);
    }
  }
  const truth: [string, string][] = [];
  for (const g of byPerson) if (g) for (let a = 0; a < g.length; a++) for (let b = a + 1; b < g.length; b++) truth.push([records[g[a]!]!.id, records[g[b]!]!.id]);
  return { records, truth };
}

function throughputFigure(n: number): Figure[] {
  const { records, truth } = generateSubjects(n);
  const suite = 'entities/throughput';
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = resolveEntities('person', records, { dobFormat: 'dd/MM/yyyy' });
  const seconds = (performance.now() - t0) / 1000;
  // CPU seconds: on 2 cores shared with other work the wall time says as much about the neighbours
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const e = evaluatePairs(result.pairs.map((p) => [p.leftId, p.rightId] as const), truth);
  // the planted truth's largest group: a resolved cluster much larger than this is chaining
  const truthSizes = new Map<string, number>();
  for (const [a] of truth) truthSizes.set(a, (truthSizes.get(a) ?? 0) + 1);
  let largestTrue = 1; // a loop, not Math.max(...spread): a million sizes overflow the call stack
  for (const size of truthSizes.values()) largestTrue = Math.max(largestTrue, 1 + size);
  const { largestCluster, refused } = result.stats;
  log(`generated ${n}: ${seconds.toFixed(1)} s (${Math.round(n / seconds)} records/s; CPU ${cpuSeconds.toFixed(1)} s; load average ${loadavg()[0]!.toFixed(1)}), ${result.stats.candidatePairs} candidate pairs, peak RSS ${Math.round(peak / 2 ** 20)} MiB; P ${e.precision.toFixed(4)} R ${e.recall.toFixed(4)} F1 ${e.f1.toFixed(4)}; largest cluster ${largestCluster} (largest planted person ${largestTrue}); joins refused: ${refused.conflict} conflicting identifiers, ${refused.size} size guard, ${refused.average} group average; EM λ (matches over all pairs) ${result.model.lambda.toExponential(2)}`);
  // the weights EM settled on, in bits per level (best first): the first thing to read when F1 moves
  log(`  prior ${result.model.priorWeight.toFixed(2)} bits; ${KIND_MODELS.person.fields.map((f, i) => `${f.name} ${result.model.weights[i]!.map((w) => w.toFixed(1)).join('/')}`).join('; ')}`);
  return [
    { suite, name: `resolve ${n} persons`, n, unit: 's', value: seconds, perSecond: n / seconds },
    { suite, name: `resolve ${n} persons, CPU time`, n, unit: 's', value: cpuSeconds },
    { suite, name: `resolve ${n} load average (1 min) at the end`, n, unit: 'load', value: loadavg()[0]! },
    { suite, name: `resolve ${n} candidate pairs`, n, unit: 'pairs', value: result.stats.candidatePairs },
    { suite, name: `resolve ${n} peak RSS`, n, unit: 'MiB', value: Math.round(peak / 2 ** 20) },
    { suite, name: `resolve ${n} F1 (planted)`, n: truth.length, unit: 'F1', value: e.f1 },
    { suite, name: `resolve ${n} precision (planted)`, n: e.found, unit: 'precision', value: e.precision },
    { suite, name: `resolve ${n} recall (planted)`, n: e.truth, unit: 'recall', value: e.recall },
    { suite, name: `resolve ${n} largest cluster`, n, unit: 'records', value: largestCluster },
    { suite, name: `resolve ${n} largest planted person`, n, unit: 'records', value: largestTrue },
  ];
}

/** The suite: `entitiesSuite(argv)` with `--n N` (default 100,000) and `--big N` (default 0: skipped). */
export async function entitiesSuite(argv: string[]): Promise<Figure[]> {
  const figures = await qualitySuite();
  figures.push(...throughputFigure(arg(argv, '--n', 100_000)));
  const big = arg(argv, '--big', 0); // 1,000,000: off by default (minutes on 2 shared cores)
  if (big > 0) figures.push(...throughputFigure(big));
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await entitiesSuite(process.argv.slice(2));
  console.table(figures.map((f) => ({ name: f.name, n: f.n, value: f.value, unit: f.unit, perSecond: f.perSecond })));
}
