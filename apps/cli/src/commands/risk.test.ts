import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../program.js';
import { applyRules, compiledScorer, compileRules, dateParser, loadModel, runForest, type SelectivityRule } from '@cordon/engine';
import type { CliContext } from '../context.js';
import { readMapping } from './risk.js';
import { scoreCsvFile } from './risk-score.js';
import { kernelInit, riskCsvKernel } from './risk-score-kernel.js';

// These commands need no database: openDb throws if anything asks for one.
async function cordon(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = {
    openDb: async () => {
      throw new Error('risk commands must not open the database');
    },
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  };
  await buildProgram(ctx).parseAsync(['node', 'cordon', ...args]);
  return { out: out.join('\n'), err: err.join('\n') };
}

/** Declarations where importer "X1" is always found and goods over 900 kg often are; seeded. */
function csv(n: number, month: number, seed: number): string {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const lines = ['Declaration ID,Date,Office ID,Importer ID,HS6 Code,Net Mass,Fraud'];
  for (let i = 0; i < n; i++) {
    const importer = rand() < 0.08 ? 'X1' : `I${Math.floor(rand() * 50)}`;
    const mass = Math.round(rand() * 1000);
    const found = importer === 'X1' || (mass > 900 && rand() < 0.6) || rand() < 0.03 ? 1 : 0;
    lines.push(`${month}-${i},2021-${String(month).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},${i % 2 ? 'A' : 'B'},${importer},"8517${i % 7}0",${mass},${found}`);
  }
  return lines.join('\n') + '\n';
}

describe('cordon risk', () => {
  let dir: string;
  const f = (name: string) => join(dir, name);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cordon-risk-'));
    writeFileSync(f('jan.csv'), csv(1500, 1, 1));
    writeFileSync(f('feb.csv'), csv(1500, 2, 2));
    writeFileSync(f('mar.csv'), csv(1000, 3, 3));
    writeFileSync(
      f('map.json'),
      JSON.stringify({ id: 'Declaration ID', date: 'Date', label: 'Fraud', revenue: null, office: 'Office ID', categorical: ['Importer ID', 'HS6 Code'], numeric: ['Net Mass'], dateFormat: 'yyyy-MM-dd' }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trains on the first files, stops early on the last, scores with channels and reasons, and evaluates', async () => {
    const t = await cordon('risk', 'train', '--data', f('jan.csv'), '--data', f('feb.csv'), '--data', f('mar.csv'), '--mapping', f('map.json'), '--out', f('model.json'), '--rounds', '60');
    expect(t.out).toMatch(/trained on 3000 declarations \(2021-01-01\.\.2021-02-28/);
    expect(t.out).toMatch(/validation window 2021-03-01\.\.2021-03-28/);

    const s = await cordon('risk', 'score', '--model', f('model.json'), '--data', f('mar.csv'), '--mapping', f('map.json'), '--out', f('scores.csv'));
    // 1,000 declarations: red 50 (5 of them random), yellow 100.
    expect(s.out).toContain('red 50 (random 5), yellow 100, green 850');
    const lines = readFileSync(f('scores.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('id,score,channel,reasons');
    expect(lines.length).toBe(1001);
    const red = lines.filter((l) => l.split(',')[2] === 'red');
    expect(red.length).toBe(50);
    expect(red.filter((l) => l.includes('random selection')).length).toBe(5);
    expect(red.some((l) => l.includes('Importer ID=X1'))).toBe(true);

    const e = await cordon('risk', 'evaluate', '--scores', f('scores.csv'), '--data', f('mar.csv'), '--mapping', f('map.json'), '--at', '1,5');
    expect(e.out).toMatch(/at 5%: inspect 50, found \d+, precision (0\.9\d+|1\.0000)/);
    const json = JSON.parse(readFileSync(f('scores.evaluation.json'), 'utf8')) as { n: number; at: { percent: number }[]; auc: number };
    expect(json.n).toBe(1000);
    expect(json.at.map((a) => a.percent)).toEqual([1, 5]);
    expect(json.auc).toBeGreaterThan(0.8);
  });

  it('allocates per office and day when asked, within every batch budget', async () => {
    await cordon('risk', 'train', '--data', f('jan.csv'), '--valid', f('feb.csv'), '--mapping', f('map.json'), '--out', f('m2.json'), '--rounds', '20');
    const s = await cordon('risk', 'score', '--model', f('m2.json'), '--data', f('mar.csv'), '--mapping', f('map.json'), '--out', f('s2.csv'), '--per', 'office-day', '--red', '10', '--random', '0');
    // Row i is in office i % 2 on day i % 28, so 28 (office, day) batches of 35–36 declarations:
    // floor(10% of each) = 3 red and 3 yellow per batch, where one batch of 1,000 would have 100 each.
    expect(s.out).toContain('(28 batch(es)): red 84 (random 0), yellow 84, green 832');
  });

  it('writes the same scores file, byte for byte, on worker threads over many slices as in one thread', async () => {
    await cordon('risk', 'train', '--data', f('jan.csv'), '--valid', f('feb.csv'), '--mapping', f('map.json'), '--out', f('m3.json'), '--rounds', '20');
    // Unquoted (so the file is cut into slices), with a rule forcing some and a shadow rule.
    writeFileSync(f('mar-plain.csv'), csv(3000, 3, 4).replace(/"/g, ''));
    const rules: SelectivityRule[] = [
      { id: 'heavy', channel: 'yellow', when: [{ column: 'Net Mass', op: 'gt', value: 980 }] },
      { id: 'hs-851730', channel: 'red', mode: 'shadow', when: [{ column: 'HS6 Code', op: 'eq', value: '851730' }] },
    ];
    const base = {
      model: f('m3.json'), modelText: readFileSync(f('m3.json'), 'utf8'), data: f('mar-plain.csv'), mapping: readMapping(f('map.json')), rules,
      red: 5, yellow: 10, random: 0.5, reasons: 3, seed: 1,
    };
    for (const per of ['file', 'office-day'] as const) {
      const one = await scoreCsvFile({ ...base, per, out: f(`one-${per}.csv`), workers: 0 });
      const many = await scoreCsvFile({ ...base, per, out: f(`many-${per}.csv`), workers: 2, minRows: 0, sliceBytes: 4096 });
      expect(one.workers).toBe(0);
      expect(many.workers).toBe(2);
      expect(many.counts).toEqual(one.counts);
      const text = readFileSync(f(`one-${per}.csv`), 'utf8');
      expect(readFileSync(f(`many-${per}.csv`), 'utf8')).toBe(text);
      expect(text.trim().split('\n')).toHaveLength(3001);
      expect(text).toMatch(/,yellow,rule heavy(; |\n)/);
      expect(text).toContain('rule hs-851730 hit');
    }
    // A row with a cell missing is an error with its line, from whichever slice holds it; nothing is written.
    const lines = readFileSync(f('mar-plain.csv'), 'utf8').split('\n');
    lines[2500] = lines[2500]!.replace(/,[^,]*$/, '');
    writeFileSync(f('mar-short.csv'), lines.join('\n'));
    await expect(scoreCsvFile({ ...base, data: f('mar-short.csv'), per: 'file', out: f('never.csv'), workers: 2, minRows: 0, sliceBytes: 4096 })).rejects.toThrow(
      /mar-short\.csv: 2 problem\(s\), nothing read:\nline 2501: 6 cells, the header has 7\nline 2501: column "Fraud": label "" is not a number/,
    );
    expect(() => readFileSync(f('never.csv'))).toThrow();
  });

  it('reads awkward files from their bytes exactly as the old reading path does, in one thread and on workers', async () => {
    // Padded and non-ASCII cells (ids, categories, offices), Unicode spaces around a value, unseen
    // categories, numbers with signs, exponents, many digits or nothing, CRLF line ends, a BOM and
    // empty lines, rules (one id with a comma: quoted), office-day allocation, 3 reasons and none.
    await cordon('risk', 'train', '--data', f('jan.csv'), '--valid', f('feb.csv'), '--mapping', f('map.json'), '--out', f('m4.json'), '--rounds', '25');
    const rows = csv(2400, 3, 5).replace(/"/g, '').trim().split('\n');
    const odd = ['  7', '+12.5', '1e2', '-0', '0.000000000000000000123456789', '123456789012345678901', '', '9.99E+2', ' 3.25 ', '.5', '5.'];
    const lines = rows.map((l, i) => {
      if (i === 0) return l;
      const c = l.split(',');
      if (i % 7 === 0) c[3] = ` ${c[3]} `; // padded importer
      if (i % 11 === 0) c[3] = 'Nhập khẩu Đà Nẵng'; // unseen, non-ASCII
      if (i % 13 === 0) c[0] = `đ-${c[0]}`; // non-ASCII id
      if (i % 17 === 0) c[2] = i % 34 ? 'Hải Phòng' : '\u00a0Hải Phòng\u3000'; // office with Unicode spaces
      if (i % 19 === 0) c[3] = '\u00a0X1'; // a known category behind a no-break space (trimmed away by both)
      if (i % 5 === 0) c[5] = odd[(i / 5) % odd.length]!;
      return c.join(',');
    });
    const text = '\ufeff' + lines.slice(0, 1200).join('\r\n') + '\r\n\r\n' + lines.slice(1200).join('\r\n') + '\r\n';
    writeFileSync(f('odd.csv'), text);
    const rules: SelectivityRule[] = [
      { id: 'heavy, very', channel: 'yellow', when: [{ column: 'Net Mass', op: 'gt', value: 990 }] },
      { id: 'x1', channel: 'red', mode: 'shadow', when: [{ column: 'Importer ID', op: 'eq', value: 'X1' }] },
    ];
    const base = { model: f('m4.json'), modelText: readFileSync(f('m4.json'), 'utf8'), data: f('odd.csv'), mapping: readMapping(f('map.json')), red: 5, yellow: 10, random: 0.5, seed: 3 };
    for (const [per, reasons, withRules] of [['file', 3, true], ['office-day', 3, false], ['file', 0, false]] as const) {
      const o = { ...base, per, reasons, rules: withRules ? rules : [] };
      const ref = await scoreCsvFile({ ...o, out: f('odd-ref.csv'), kernel: false, workers: 0 });
      const one = await scoreCsvFile({ ...o, out: f('odd-one.csv'), workers: 0 });
      const many = await scoreCsvFile({ ...o, out: f('odd-many.csv'), workers: 2, minRows: 0, minBytes: 0, sliceBytes: 8192 });
      expect(many.workers).toBe(2);
      expect([ref.oldPathSlices, one.oldPathSlices, many.oldPathSlices]).toEqual([1, 0, 0]); // the kernel read every slice
      expect([one.counts, many.counts]).toEqual([ref.counts, ref.counts]);
      const expected = readFileSync(f('odd-ref.csv'), 'utf8');
      expect(expected.split('\n')).toHaveLength(2402); // header, 2,400 declarations, the last line feed
      expect(readFileSync(f('odd-one.csv'), 'utf8')).toBe(expected);
      expect(readFileSync(f('odd-many.csv'), 'utf8')).toBe(expected);
      if (withRules) expect(expected).toContain('"rule heavy, very');
      if (reasons) expect(expected).toContain('Importer ID=X1 (+');
      expect(expected).toMatch(/\nđ-3-\d+,/);
    }
  });

  it('prints reasons\' contributions and scores without strings exactly as toFixed(2) and toPrecision(10) do', async () => {
    // The kernel writes these numbers from integer arithmetic and falls back to the strings only
    // near a halfway point: ties (x.xx5, 10-digit halves), carries (0.999…), trailing zeros, tiny values.
    await cordon('risk', 'train', '--data', f('jan.csv'), '--valid', f('feb.csv'), '--mapping', f('map.json'), '--out', f('m7.json'), '--rounds', '5');
    const model = loadModel(readFileSync(f('m7.json'), 'utf8'));
    const header = readFileSync(f('jan.csv'), 'utf8').split('\n')[0]!.split(',');
    const init = kernelInit(model, compiledScorer(model), readMapping(f('map.json')), header, { reasons: 3, per: 'file', rules: [] })!;
    const { numberText } = riskCsvKernel(init, { runForest, dateParser, compileRules, applyRules });
    let s = 7;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const fixed = [0.01, 0.015, 0.125, 0.145, 1.005, 2.675, 0.994999, 0.995, 9.995, 99.995, 1234.565, 2 ** 30 - 0.005, 2 ** 30 + 0.25, 1e15, 1e21, 0.3, 7];
    for (let i = 0; i < 20000; i++) fixed.push(rand() * 3, Math.floor(rand() * 100000) / 200, (Math.floor(rand() * 2000) + 0.5) / 100 + (rand() - 0.5) * 1e-12, 10 ** (rand() * 12));
    for (const v of fixed) expect(numberText('fixed2', v)).toBe(v.toFixed(2));
    const probs = [1e-6, 1e-6 * (1 + 1e-15), 9.99999999995e-7, 1e-7, 3.2e-12, 0.1, 0.5, 0.25, 0.9999999999, 0.99999999995, 0.99999999994, 1 - 2 ** -53, 1, 0, 0.12345678905, 0.012345678905, 0.000123456789, 0.0009999999999];
    for (let i = 0; i < 20000; i++) probs.push(rand(), rand() ** 6, (Math.floor(rand() * 1e10) + 0.5) / 1e10, 1 / (1 + Math.exp(-(rand() * 40 - 20))));
    for (const p of probs) expect(numberText('probability', p)).toBe(String(Number(p.toPrecision(10))));
  });

  it('takes derived features as auto, none or hand-picked lists checked against the mapping', async () => {
    // The same declarations with a second number (a price), so that a ratio exists.
    const withPrice = (text: string) => text.trim().split('\n').map((l, i) => `${l},${i === 0 ? 'Item Price' : (l.length * 37) % 1000}`).join('\n') + '\n';
    writeFileSync(f('jan-p.csv'), withPrice(csv(600, 1, 11)));
    writeFileSync(f('feb-p.csv'), withPrice(csv(400, 2, 12)));
    writeFileSync(f('map-p.json'), JSON.stringify({ id: 'Declaration ID', date: 'Date', label: 'Fraud', office: 'Office ID', categorical: ['Office ID', 'Importer ID', 'HS6 Code'], numeric: ['Net Mass', 'Item Price'] }));
    const train = (...extra: string[]) => cordon('risk', 'train', '--data', f('jan-p.csv'), '--data', f('feb-p.csv'), '--mapping', f('map-p.json'), '--out', f('derived.json'), '--rounds', '5', ...extra);
    const derived = () => (JSON.parse(readFileSync(f('derived.json'), 'utf8')) as { encoder: { pairs?: [number, number][]; ratios?: [number, number][] } }).encoder;

    // auto (the default): the 3 categorical columns paired with each other (3 pairs), and every later number over every earlier one.
    const auto = await train();
    expect(auto.out).toContain('Item Price / Net Mass');
    expect(derived().pairs).toHaveLength(3);
    expect(derived().ratios).toEqual([[1, 0]]);

    const none = await train('--pairs', 'none', '--ratios', 'none');
    expect(none.out).not.toContain('derived features');
    expect(derived().pairs ?? []).toEqual([]);
    expect(derived().ratios ?? []).toEqual([]);

    const picked = await train('--pairs', 'HS6 Code*Importer ID', '--ratios', 'Net Mass/Item Price');
    expect(picked.out).toContain('derived features: HS6 Code × Importer ID; Net Mass / Item Price');
    expect(derived()).toMatchObject({ pairs: [[2, 1]], ratios: [[0, 1]] });

    await expect(train('--pairs', 'HS6 Code*Country')).rejects.toThrow('--pairs: "Country" is not a categorical column of the mapping (categorical: Office ID, Importer ID, HS6 Code)');
    await expect(train('--pairs', 'HS6 Code*Net Mass')).rejects.toThrow('--pairs: "Net Mass" is not a categorical column');
    await expect(train('--pairs', 'HS6 Code*HS6 Code')).rejects.toThrow('--pairs: "HS6 Code*HS6 Code" uses the column "HS6 Code" twice');
    await expect(train('--pairs', 'HS6 Code*Importer ID,Importer ID*HS6 Code')).rejects.toThrow('--pairs: "Importer ID*HS6 Code" is listed twice');
    await expect(train('--ratios', 'Item Price')).rejects.toThrow('--ratios: "Item Price" is not two columns joined by "/"');
    await expect(train('--ratios', 'Item Price/Weight')).rejects.toThrow('--ratios: "Weight" is not a numeric column of the mapping (numeric: Net Mass, Item Price)');
  });

  it('refuses bad data with the file and line, and writes nothing', async () => {
    writeFileSync(f('bad.csv'), csv(5, 1, 9).replace(/,(\d+),(\d)\n/, ',12kg,$2\n').replace(/,(\d)\n$/, ',maybe\n'));
    await expect(cordon('risk', 'train', '--data', f('bad.csv'), '--data', f('feb.csv'), '--mapping', f('map.json'), '--out', f('never.json'))).rejects.toThrow(
      /bad\.csv: 2 problem\(s\), nothing read:\nline 2: column "Net Mass": "12kg" is not a number[\s\S]*line 6: column "Fraud": label "maybe"/,
    );
    writeFileSync(f('map-bad.json'), JSON.stringify({ id: 'Declaration ID', numeric: ['Weight'], colour: 'x' }));
    await expect(cordon('risk', 'train', '--data', f('jan.csv'), '--mapping', f('map-bad.json'), '--out', f('never.json'))).rejects.toThrow(/unknown key "colour"/);
    writeFileSync(f('map-missing.json'), JSON.stringify({ id: 'Declaration ID', label: 'Fraud', numeric: ['Weight'] }));
    await expect(cordon('risk', 'train', '--data', f('jan.csv'), '--mapping', f('map-missing.json'), '--out', f('never.json'))).rejects.toThrow(/line 1: column "Weight"/);
    expect(() => readFileSync(f('never.json'))).toThrow();
  });
});
