import { describe, expect, it } from 'vitest';
import { dateParser, parseRiskMapping, readDeclarations, RiskInputError, type RiskMapping } from './mapping.js';

const MAPPING: RiskMapping = parseRiskMapping({
  id: 'Declaration ID',
  date: 'Date',
  label: 'Fraud',
  revenue: 'Recovered',
  office: 'Office ID',
  categorical: ['HS6 Code', 'Importer ID'],
  numeric: ['Net Mass'],
  dateFormat: 'dd/MM/yyyy',
});
const HEADER = ['Declaration ID', 'Date', 'Office ID', 'HS6 Code', 'Importer ID', 'Net Mass', 'Fraud', 'Recovered'];
const rows = (...r: string[][]) => r.map((values, i) => ({ line: i + 2, values }));

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RiskInputError);
    return (err as RiskInputError).issues;
  }
  throw new Error('expected a RiskInputError');
}

describe('risk column mapping', () => {
  it('rejects unknown keys, naming them', () => {
    const issues = issuesOf(() => parseRiskMapping({ id: 'a', numeric: ['x'], lable: 'Fraud' }));
    expect(issues.map((i) => i.message)).toEqual([expect.stringContaining('unknown key "lable"')]);
  });

  it('needs an id and at least one feature, and refuses a column used twice', () => {
    expect(issuesOf(() => parseRiskMapping({ categorical: [] })).map((i) => i.message)).toEqual([
      expect.stringContaining('"id" is required'),
      expect.stringContaining('at least one'),
    ]);
    expect(issuesOf(() => parseRiskMapping({ id: 'a', label: 'y', categorical: ['b', 'y'], numeric: ['b'] })).length).toBe(2);
  });

  it('reads declarations: label any non-zero = 1, empty numeric = missing, empty revenue = 0', () => {
    const d = readDeclarations(MAPPING, HEADER, rows(['1', '05/01/2021', '30', '440890', 'IMP1', '108.5', '2', '1500'], ['2', '06/01/2021', '40', '', 'IMP2', '', '0', '']), { needLabel: true });
    expect(d[0]).toMatchObject({ line: 2, id: '1', day: '2021-01-05', office: '30', label: 1, revenue: 1500, cat: ['440890', 'IMP1'], num: [108.5] });
    expect(d[1]).toMatchObject({ label: 0, revenue: 0, cat: ['', 'IMP2'] });
    expect(d[1]!.num[0]).toBeNaN();
  });

  it('reports a missing column against the header (line 1)', () => {
    const issues = issuesOf(() => readDeclarations(MAPPING, HEADER.filter((h) => h !== 'Net Mass'), rows(), { needLabel: true }));
    expect(issues).toEqual([{ line: 1, column: 'Net Mass', message: expect.stringContaining('not in the file') }]);
  });

  it('reports every bad cell with its line and skips nothing', () => {
    const issues = issuesOf(() =>
      readDeclarations(
        MAPPING,
        HEADER,
        rows(
          ['1', '05/01/2021', '30', '440890', 'IMP1', '108.5', '0', '0'],
          ['2', '31/02/2021', '30', '440890', 'IMP1', '1,5', 'yes', '0'],
          ['', '05/01/2021', '30', '440890', 'IMP1', '7', '', 'lots'],
        ),
        { needLabel: true },
      ),
    );
    expect(issues.map((i) => `${i.line}:${i.column}`)).toEqual(['3:Date', '3:Fraud', '3:Net Mass', '4:Declaration ID', '4:Fraud', '4:Recovered']);
    expect(issues[2]!.message).toContain('"1,5" is not a number');
  });

  it('does not need the label to score, and ignores it there', () => {
    const header = HEADER.filter((h) => h !== 'Fraud' && h !== 'Recovered');
    const d = readDeclarations(MAPPING, header, rows(['1', '05/01/2021', '30', '440890', 'IMP1', '1']), { needLabel: false });
    expect(d[0]!.label).toBeUndefined();
    expect(issuesOf(() => readDeclarations(MAPPING, header, rows(), { needLabel: true }))[0]!.column).toBe('Fraud');
  });

  it('parses dates in the mapped format and refuses impossible ones', () => {
    expect(dateParser('yyyy-MM-dd')('2020-12-31')).toBe(Date.UTC(2020, 11, 31));
    expect(dateParser('dd/MM/yyyy HH:mm')('01/02/2021 13:45')).toBe(Date.UTC(2021, 1, 1, 13, 45));
    expect(dateParser('yyyy-MM-dd')('2021-02-29')).toBeUndefined();
    expect(dateParser('yyyy-MM-dd')('2021/02/01')).toBeUndefined();
  });
});
