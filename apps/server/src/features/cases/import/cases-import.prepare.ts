import { randomUUID } from 'node:crypto';
import type { CreateCaseBody, FieldIssue } from '@cordon/contracts';
import { vietnamToday, type Clock } from '../../../lib/clock.js';
import type { Principal } from '../../auth/principal.js';
import { allSubjectKeys, checkCaseCodes, goodsFacts, provinceAsRecorded, reportGroupOf } from '../cases.rules.js';
import type { PreparedCase } from '../cases.service.js';

/**
 * `cases.prepare` for template rows, without a query per row: an imported row names no lead,
 * coordinating units or readers (the template has no such columns), so the only unit is the
 * importer's, looked up once. Same checks and derived columns (cases.rules.ts); a test compares the
 * rows this builds with cases.prepare's.
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
    return {
      issues,
      prepared: {
        goods: body.goods,
        subjects: body.subjects,
        row: {
          id: randomUUID(),
          source_unit_id: p.unitId,
          source_ref: body.sourceRef ?? null,
          title: body.title,
          summary: body.summary,
          violation_type: body.violationType,
          report_group: reportGroupOf(body.violationType),
          detected_on: body.detectedOn,
          province_code: provinceAsRecorded(body.provinceCode, body.detectedOn)!,
          recorded_province_code: body.provinceCode,
          ward_code: body.wardCode ?? null,
          border_gate: body.borderGate ?? null,
          place: body.place ?? null,
          latitude: body.latitude ?? null,
          longitude: body.longitude ?? null,
          route: body.route ?? null,
          force_code: unit.forceCode,
          lead_unit_id: p.unitId,
          coordinating_unit_ids: [],
          handling_unit_ids: [p.unitId],
          sensitivity: body.sensitivity,
          named_user_ids: [],
          status: 'detected',
          status_changed_at: clock.now(),
          penalty_decision_no: null,
          penalty_decided_on: null,
          fine_vnd: 0,
          confiscated_value_vnd: 0,
          collected_vnd: 0,
          transferred_on: null,
          prosecuted_on: null,
          defendants: 0,
          dropped_reason: null,
          ...goodsFacts(body.goods),
          subject_keys: allSubjectKeys(body.subjects),
          search_text: '',
          joint_group_id: null,
          counts_in_statistics: true,
          import_id: null,
          created_by: p.userId,
        },
      },
    };
  };
}
