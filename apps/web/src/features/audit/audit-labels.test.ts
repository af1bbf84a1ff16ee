import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_LABELS, auditActionLabel, auditDetailLines } from './audit-labels.js';

/**
 * The codes the server and the CLI can write, read from their sources: the `action:` of every
 * `audit.record({ … })` (the object literal names `outcome`, `actor`, `entityType` or `detail` next).
 * String literals are taken as they are (`cur ? 'risk.outcome.correct' : 'risk.outcome.record'` gives
 * both); a template literal must be one of TEMPLATES below, so a new computed code fails here until
 * someone lists what it expands to.
 */
const ROOTS = ['../../../../server/src/', '../../../../cli/src/'].map((r) => new URL(r, import.meta.url));

/** Computed codes and what they expand to (the record types and task actions the server passes). */
const TEMPLATES: Record<string, string[]> = {
  'task.${action}': ['task.report', 'task.submit', 'task.accept', 'task.return', 'task.cancel'], // TASK_ACTIONS
  '${record.type}.read': ['case.read'], // access.checkRead is called for cases only
  '${record.type}.share': ['case.share'],
  '${ITEM_RECORD_TYPE}.read': ['custody_item.read'],
};

function sources(dir: URL): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return sources(new URL(`${e.name}/`, dir));
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.includes('.testing.') ? [readFileSync(new URL(e.name, dir), 'utf8')] : [];
  });
}

function writtenCodes(): { codes: Set<string>; unknownTemplates: string[] } {
  const codes = new Set<string>();
  const unknownTemplates: string[] = [];
  for (const text of ROOTS.flatMap(sources)) {
    for (const m of text.matchAll(/\baction:\s*([^,]+?),\s*(?:outcome|actor\w*|entityType|detail)\b/g)) {
      const expr = m[1]!;
      // Codes have a dot; other literals of the expression are conditions (`to === 'active' ? …`).
      for (const lit of expr.matchAll(/'([a-z_]+\.[a-z_.]+)'/g)) codes.add(lit[1]!);
      for (const tpl of expr.matchAll(/`([^`]*)`/g)) {
        const expanded = TEMPLATES[tpl[1]!];
        if (expanded) expanded.forEach((c) => codes.add(c));
        else unknownTemplates.push(tpl[1]!);
      }
    }
  }
  return { codes, unknownTemplates };
}

describe('audit action labels', () => {
  it('label every action code the server and the CLI write, in Vietnamese and English', () => {
    const { codes, unknownTemplates } = writtenCodes();
    // The scan itself works: the codes of sign-in, a case's creation and a computed task decision are found.
    expect([...codes]).toEqual(expect.arrayContaining(['auth.login', 'case.create', 'task.accept', 'report.export']));
    expect(unknownTemplates).toEqual([]);
    const missing = [...codes].filter((c) => !AUDIT_ACTION_LABELS[c]?.vi || !AUDIT_ACTION_LABELS[c]?.en).sort();
    expect(missing).toEqual([]);
    // And no label for a code nobody writes any more (a renamed action would leave one behind).
    expect(Object.keys(AUDIT_ACTION_LABELS).filter((c) => !codes.has(c))).toEqual([]);
  });

  it('show an unknown code as itself', () => {
    expect(auditActionLabel('tip.convert', 'vi')).toBe('Chuyển tin báo thành vụ việc');
    expect(auditActionLabel('tip.convert', 'en')).toBe('Tip converted to a case');
    expect(auditActionLabel('future.thing', 'vi')).toBe('future.thing');
  });
});

describe('audit details', () => {
  it('show dates, instants, amounts and counts the Vietnamese way, nested objects compact', () => {
    const lines = auditDetailLines(
      { detectedOn: '2026-09-10', at: '2026-09-10T01:30:00.000Z', revenueVnd: 12345678, created: 1500, found: true, scope: { province: '20', force: null }, caseIds: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] },
      'vi',
    );
    expect(lines).toEqual([
      { key: 'detectedOn', value: '10/09/2026' },
      { key: 'at', value: '10/09/2026 08:30' }, // Vietnam time
      { key: 'revenueVnd', value: '12.345.678\u00a0₫' },
      { key: 'created', value: '1.500' },
      { key: 'found', value: 'có' },
      { key: 'scope', value: '{ province: 20, force: — }' },
      { key: 'caseIds', value: 'a, b, c, d, e … (+2)' },
    ]);
  });

  it('use English digits and words in English', () => {
    expect(auditDetailLines({ created: 1500, found: false }, 'en')).toEqual([
      { key: 'created', value: '1,500' },
      { key: 'found', value: 'no' },
    ]);
  });
});
