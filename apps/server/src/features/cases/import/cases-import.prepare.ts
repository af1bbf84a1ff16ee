import type { CreateCaseBody, FieldIssue } from '@cordon/contracts';
import { vietnamToday, type Clock } from '../../../lib/clock.js';
import type { Principal } from '../../auth/principal.js';
import { checkCaseCodes } from '../cases.rules.js';
import { newCaseRow, type PreparedCase } from '../cases.service.js';

/**
 * `cases.prepare` for template rows, without a query per row: an imported row names no lead,
 * coordinating units or readers (the template has no such columns), so the only unit is the
 * importer's, looked up once. The same row builder as cases.prepare (newCaseRow); a test compares the
 * rows both build.
 */
export function importRowPreparer(p: Principal, clock: Clock, unit: { forceCode: string | null }) {
  const today = vietnamToday(clock);
  return (body: CreateCaseBody): { prepared?: PreparedCase; issues: FieldIssue[] } => {
    const issues = checkCaseCodes(body);
    if (body.leadUnitId || body.coordinatingUnitIds.length || body.namedUserIds.length) {
      issues.push({ field: 'leadUnitId', reason: 'invalid_value', message: 'imports record cases for the importing unit only' });
    }
    if (body.sensitivity === 'secret') issues.push({ field: 'namedUserIds', reason: 'required', message: 'a secret case must name who may open it: record it in the app' });
    if (body.detectedOn > today) issues.push({ field: 'detectedOn', reason: 'invalid_value', message: 'is in the future' });
    if (issues.length) return { issues };
    const row = newCaseRow(p, body, { leadUnitId: p.unitId, coordinating: [], named: [], forceCode: unit.forceCode, now: clock.now() });
    return { issues, prepared: { goods: body.goods, subjects: body.subjects, row } };
  };
}
