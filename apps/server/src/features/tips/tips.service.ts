import { createHash, randomUUID } from 'node:crypto';
import {
  ATTACHMENT_TYPES, CreateCaseBody, TIP_FILE_MAX_BYTES, TIP_MAX_FILES,
  type ConvertTipBody, type FieldIssue, type PublicTipView, type TipDetail, type TipQuery, type TipReminders, type TipStatus, type TipSummary, type UpdateTipBody,
} from '@cordon/contracts';
import { findGoodsCategory, findProvince, foldVietnamese } from '@cordon/reference';
import { sql, type Database, type Db, type Kysely, type Selectable, type TipsTable } from '@cordon/db';
import { AppError, forbidden, invalidField, notFound, staleVersion } from '../../errors.js';
import { vietnamToday, type Clock } from '../../lib/clock.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { cleanFileName, sniffType } from '../cases/attachments/attachments.service.js';
import { CASE_WRITER_ROLES, type CasesService } from '../cases/cases.service.js';
import { stripDocumentMetadata } from './document-metadata.js';
import { stripImageMetadata } from './image-metadata.js';
import { hashSecret, newReceipt, newSecret, normaliseReceipt, secretMatches } from './tip-codes.js';
import { createFailureThrottle } from './tip-throttle.js';

type Tx = Kysely<Database>;
type TipRow = Selectable<TipsTable>;
type Fields = {
  description: string;
  category?: string | null;
  provinceCode?: string | null;
  wardCode?: string | null;
  place?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  occurredOn?: string | null;
  contact?: string | null;
  locale?: 'vi' | 'en';
};

/** Who works the queue. Admins pass only because this list names them. */
export const TIP_TRIAGE_ROLES = ['tip_triage', 'provincial_coordinator', 'admin'] as const;
/**
 * Who else works a tip: the officers and analysts of the unit it is routed to (or a unit above it) — the
 * responsible unit must be able to open what triage sends it. Only tips assigned to their units, and
 * without triage's own powers (editing the tip, re-routing it, recording hotline calls).
 */
export const TIP_ASSIGNEE_ROLES = CASE_WRITER_ROLES;
/** Who may take a tip another officer is handling. */
const TAKE_OVER_ROLES = ['provincial_coordinator', 'admin'];
export const RECORD_TYPE = 'tip';
const OPEN: TipStatus[] = ['new', 'acknowledged', 'in_progress'];
const DAY_MS = 86_400_000;
/**
 * Possible duplicates: same province, event dates at most 3 days apart, and pg_trgm similarity of the
 * folded texts (subject + description, lower-case ASCII) of at least 0.4 — trigram overlap survives
 * word order and small wording changes, and 0.4 keeps unrelated reports about the same goods apart.
 */
export const DUPLICATE_DAYS = 3;
export const DUPLICATE_SIMILARITY = 0.4;
const MAX_REPORTER_MESSAGES = 50;
/** Reminders: what falls due within a day, and how many of each list the shell shows. */
export const REMINDER_HOURS = 24;
const REMINDER_ITEMS = 20;

export interface TipFile {
  fileName: string;
  data: Buffer;
  /** Cut at the size limit while reading. */
  truncated?: boolean;
}

export interface RefusedFile {
  fileName: string;
  reason: string;
  message: string;
}

export interface IntakeInput {
  channel: 'web' | 'email' | 'hotline';
  fields: Fields;
  subject?: string | null;
  files?: TipFile[];
  /** Web and hotline refuse the submission over a bad file (the form can fix it); e-mail keeps the tip and the reasons. */
  badFiles: 'refuse' | 'keep_reason';
  operator?: Principal;
  requestId?: string;
}

const iso = (d: Date | string) => new Date(d).toISOString();
const publicStatusOf = (s: string): PublicTipView['status'] =>
  s === 'new' ? 'received' : s === 'converted' ? 'acted_on' : s === 'closed' ? 'closed' : 'in_progress';

export function createTipsService({
  db, clock, audit, cases, acknowledgeDays, concludeDays, secretMaxFailures = 10, maxFileBytes = TIP_FILE_MAX_BYTES, afterIntake,
}: {
  db: Db; clock: Clock; audit: AuditService; cases: CasesService; acknowledgeDays: number; concludeDays: number; secretMaxFailures?: number; maxFileBytes?: number;
  /** Runs in the transaction that stores a new tip, with its text (subject and description; never the reporter's contact): watchlist alerts hook in here. */
  afterIntake?: (trx: Tx, tipId: string, text: string) => Promise<unknown>;
}) {
  const throttle = createFailureThrottle({ max: secretMaxFailures, windowMs: 15 * 60_000, now: () => clock.now().getTime() });

  // ---- intake -------------------------------------------------------------------------------------

  function checkFields(f: Fields, prefix = ''): FieldIssue[] {
    const issues: FieldIssue[] = [];
    const bad = (field: string, message: string) => issues.push({ field: prefix + field, reason: 'invalid_value', message });
    if (f.category && !findGoodsCategory(f.category)) bad('category', 'is not a known goods category');
    if (f.provinceCode && !findProvince(f.provinceCode)) bad('provinceCode', 'is not one of the 34 provinces (2025 GSO code)');
    if (f.occurredOn && f.occurredOn > vietnamToday(clock)) bad('occurredOn', 'is in the future');
    return issues;
  }

  /** Sniffs, checks and cleans each file; images, PDFs and Office files lose their metadata here, before anything is stored. */
  async function checkFiles(files: TipFile[]) {
    const accepted: { fileName: string; mime: string; data: Buffer; metadataRemoved: boolean; removed: string[] }[] = [];
    const refused: (RefusedFile & { index: number; limit?: number })[] = [];
    for (const [index, f] of files.entries()) {
      const fileName = cleanFileName(f.fileName);
      const refuse = (reason: string, message: string, limit?: number) => refused.push({ index, fileName, reason, message, ...(limit !== undefined ? { limit } : {}) });
      if (index >= TIP_MAX_FILES) {
        refuse('too_many', `"${fileName}": at most ${TIP_MAX_FILES} files per tip`, TIP_MAX_FILES);
        continue;
      }
      if (f.truncated || f.data.length > maxBytes()) {
        refuse('too_large', `"${fileName}" is larger than ${Math.round(maxBytes() / 1024 / 1024) || '<1'} MB`, maxBytes());
        continue;
      }
      if (!f.data.length) {
        refuse('empty', `"${fileName}" is empty`);
        continue;
      }
      const type = await sniffType(f.data);
      const mime = type && type.mime in ATTACHMENT_TYPES ? (type.mime as keyof typeof ATTACHMENT_TYPES) : undefined;
      if (!mime) {
        refuse('unsupported_type', `"${fileName}" is ${type ? type.ext.toUpperCase() : 'binary data of an unknown kind'}; accepted: JPEG, PNG, WebP, PDF, DOCX, XLSX, plain text`);
        continue;
      }
      const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
      if (!(ATTACHMENT_TYPES[mime] as readonly string[]).includes(ext)) {
        refuse('type_mismatch', `"${fileName}" is named .${ext || '(none)'} but its content is ${mime}`);
        continue;
      }
      const image = stripImageMetadata(mime, f.data);
      const cleaned = image === 'not_an_image' ? await stripDocumentMetadata(mime, f.data) : image;
      if (cleaned === undefined) {
        const kind = ATTACHMENT_TYPES[mime][0].toUpperCase();
        if (image === undefined) refuse('unreadable_image', `"${fileName}" is not a well-formed ${kind} image`);
        else refuse('unreadable_document', `"${fileName}" is not a ${kind} file that can be read (damaged, or protected by a password); its author and other details could not be removed`);
        continue;
      }
      if (cleaned === 'not_a_document') accepted.push({ fileName, mime, data: f.data, metadataRemoved: false, removed: [] });
      else accepted.push({ fileName, mime, data: cleaned.data, metadataRemoved: true, removed: cleaned.removed });
    }
    return { accepted, refused };
  }

  function maxBytes() {
    return maxFileBytes;
  }

  /** The duplicate group a new or edited tip joins: the most similar open tip's, else its own id. */
  async function duplicateGroupFor(trx: Tx, t: { id: string; provinceCode: string | null; eventOn: string; fold: string }): Promise<string> {
    if (!t.provinceCode) return t.id;
    const { rows } = await sql<{ duplicate_group_id: string }>`
      SELECT duplicate_group_id FROM tips
      WHERE province_code = ${t.provinceCode} AND id <> ${t.id}
        AND event_on BETWEEN ${t.eventOn}::date - ${DUPLICATE_DAYS}::int AND ${t.eventOn}::date + ${DUPLICATE_DAYS}::int
        AND similarity(fold_text, ${t.fold}) >= ${DUPLICATE_SIMILARITY}
      ORDER BY similarity(fold_text, ${t.fold}) DESC, received_at
      LIMIT 1`.execute(trx);
    return rows[0]?.duplicate_group_id ?? t.id;
  }

  /** The most specific active rule: province and category, then province only, then category only, then the catch-all. */
  async function routeFor(trx: Tx, provinceCode: string | null, category: string | null) {
    let q = trx.selectFrom('tip_routing_rules').select(['id', 'unit_id', 'mode']).where('active', '=', true);
    q = q.where((eb) => (provinceCode ? eb.or([eb('province_code', '=', provinceCode), eb('province_code', 'is', null)]) : eb('province_code', 'is', null)));
    q = q.where((eb) => (category ? eb.or([eb('category', '=', category), eb('category', 'is', null)]) : eb('category', 'is', null)));
    return q
      .orderBy(sql`(province_code IS NOT NULL)`, 'desc')
      .orderBy(sql`(category IS NOT NULL)`, 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /**
   * Records a tip from any channel and returns its receipt and the secret (shown once). Everything of
   * one tip commits together, with its audit event, before the caller answers "accepted".
   */
  async function intake(input: IntakeInput): Promise<{ id: string; receipt: string; secret: string; refusedFiles: RefusedFile[] }> {
    const f = input.fields;
    const issues = checkFields(f);
    if (issues.length) throw new AppError('INVALID_INPUT', issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
    const { accepted, refused } = await checkFiles(input.files ?? []);
    if (refused.length && input.badFiles === 'refuse') {
      const fileIssues = refused.map((r) => ({ field: `files.${r.index}`, reason: r.reason, message: r.message, ...(r.limit !== undefined ? { limit: r.limit } : {}) }));
      throw new AppError('INVALID_INPUT', fileIssues.map((i) => i.message).join('; '), fileIssues);
    }
    const refusedFiles = refused.map(({ fileName, reason, message }) => ({ fileName, reason, message }));
    const secret = newSecret();
    const secretHash = hashSecret(secret);
    for (let attempt = 0; ; attempt++) {
      const receipt = newReceipt();
      try {
        const id = await db.kysely.transaction().execute(async (trx) => {
          const id = randomUUID();
          const now = clock.now();
          const provinceCode = f.provinceCode ?? null;
          const category = f.category ?? null;
          const eventOn = f.occurredOn ?? vietnamToday(clock);
          const fold = foldVietnamese([input.subject, f.description].filter(Boolean).join(' '));
          const group = await duplicateGroupFor(trx, { id, provinceCode, eventOn, fold });
          const rule = await routeFor(trx, provinceCode, category);
          await trx.insertInto('tips').values({
            id, receipt, secret_hash: secretHash, channel: input.channel, status: 'new', locale: f.locale ?? 'vi',
            subject: input.subject ?? null, description: f.description, category, province_code: provinceCode,
            ward_code: f.wardCode ?? null, place: f.place ?? null, latitude: f.latitude ?? null, longitude: f.longitude ?? null,
            occurred_on: f.occurredOn ?? null, event_on: eventOn, contact: f.contact?.trim() || null, fold_text: fold,
            duplicate_group_id: group, refused_files: JSON.stringify(refusedFiles),
            proposed_unit_id: rule?.unit_id ?? null, assigned_unit_id: rule?.mode === 'assign' ? rule.unit_id : null, routing_rule_id: rule?.id ?? null,
            claimed_by: null, claimed_at: null, received_at: now,
            acknowledge_by: new Date(now.getTime() + acknowledgeDays * DAY_MS), conclude_by: new Date(now.getTime() + concludeDays * DAY_MS),
            acknowledged_at: null, concluded_at: null, close_reason: null, close_note: null, case_id: null,
            recorded_by: input.operator?.userId ?? null, created_at: now, updated_at: now,
          }).execute();
          await afterIntake?.(trx, id, [input.subject, f.description].filter(Boolean).join('\n'));
          for (const a of accepted) {
            await trx.insertInto('tip_attachments').values({
              id: randomUUID(), tip_id: id, file_name: a.fileName, mime_type: a.mime, size_bytes: a.data.length,
              sha256: createHash('sha256').update(a.data).digest('hex'), content: a.data, metadata_removed: a.metadataRemoved, created_at: now,
            }).execute();
          }
          await audit.record({
            action: 'tip.receive', actor: input.operator ? actorOf(input.operator) : null, entityType: RECORD_TYPE, entityId: id,
            detail: {
              channel: input.channel, receipt, attachments: accepted.length, refusedFiles: refusedFiles.map((r) => r.reason),
              metadataRemoved: accepted.flatMap((a) => a.removed), duplicateOf: group === id ? undefined : group,
              routedTo: rule ? { unitId: rule.unit_id, mode: rule.mode } : undefined,
            },
            requestId: input.requestId,
          }, trx);
          return id;
        });
        return { id, receipt, secret, refusedFiles };
      } catch (e) {
        const err = e as { code?: string; message?: string; constraint?: string };
        if (err.code === '23505' && /receipt/.test(`${err.constraint ?? ''} ${err.message ?? ''}`) && attempt < 5) continue;
        throw e;
      }
    }
  }

  // ---- the reporter ---------------------------------------------------------------------------------

  // Compared against when the receipt is unknown, so both paths hash and compare the same way.
  const DUMMY_HASH = hashSecret(newSecret());

  /**
   * The tip this receipt and secret open. An unknown receipt and a wrong secret give the same NOT_FOUND;
   * both count towards the throttle of the address and of the receipt.
   */
  async function openByReceipt(receiptRaw: string, secret: string | undefined, clientKey: string): Promise<TipRow> {
    const receipt = normaliseReceipt(receiptRaw);
    const keys = [`addr:${clientKey}`, `receipt:${receipt}`];
    const wait = throttle.blockedFor(keys);
    if (wait > 0) throw new AppError('RATE_LIMITED', 'Too many wrong receipt or secret attempts; try again later', undefined, wait);
    const row = await db.kysely.selectFrom('tips').selectAll().where('receipt', '=', receipt).executeTakeFirst();
    const ok = secretMatches(secret ?? '', row?.secret_hash ?? DUMMY_HASH) && row !== undefined;
    if (!ok || !row) {
      throttle.fail(keys);
      throw new AppError('NOT_FOUND', 'No tip with this receipt and secret');
    }
    return row;
  }

  async function publicView(row: TipRow): Promise<PublicTipView> {
    const messages = await db.kysely
      .selectFrom('tip_messages').select(['kind', 'body', 'at'])
      .where('tip_id', '=', row.id).where('kind', 'in', ['reporter', 'public_reply'])
      .orderBy('seq').execute();
    return {
      receipt: row.receipt,
      status: publicStatusOf(row.status),
      receivedAt: iso(row.received_at),
      messages: messages.map((m) => ({ from: m.kind === 'reporter' ? 'reporter' : 'handler', body: m.body, at: iso(m.at) })),
    };
  }

  async function publicGet(receipt: string, secret: string | undefined, clientKey: string): Promise<PublicTipView> {
    return publicView(await openByReceipt(receipt, secret, clientKey));
  }

  async function publicMessage(receipt: string, secret: string | undefined, clientKey: string, body: string, requestId?: string): Promise<PublicTipView> {
    const row = await openByReceipt(receipt, secret, clientKey);
    await db.kysely.transaction().execute(async (trx) => {
      const { n } = await trx.selectFrom('tip_messages').select((eb) => eb.fn.countAll<number>().as('n')).where('tip_id', '=', row.id).where('kind', '=', 'reporter').executeTakeFirstOrThrow();
      if (Number(n) >= MAX_REPORTER_MESSAGES) throw invalidField('body', 'too_many', `at most ${MAX_REPORTER_MESSAGES} messages per tip`, MAX_REPORTER_MESSAGES);
      const id = randomUUID();
      await trx.insertInto('tip_messages').values({ id, tip_id: row.id, kind: 'reporter', body, author_user_id: null, at: clock.now(), created_at: clock.now() }).execute();
      await audit.record({ action: 'tip.message.reporter', entityType: RECORD_TYPE, entityId: row.id, detail: { messageId: id, length: body.length }, requestId }, trx);
    });
    return publicView(row);
  }

  // ---- staff: scope ----------------------------------------------------------------------------------

  /**
   * Whose tips a user works: the national office sees every tip; a unit with a province (a provincial
   * committee, a force's provincial unit) sees the tips of its province; every unit sees the tips
   * assigned to it or to a unit below it. A tip without a province is the national office's until
   * triage gives it one.
   */
  async function scopeOf(p: Principal, trx: Tx = db.kysely): Promise<{ all: boolean; province: string | null }> {
    // An assignee without a triage role works only the tips assigned to their units.
    if (!isTriage(p)) return { all: false, province: null };
    const u = await trx.selectFrom('org_units').select(['kind', 'province_code']).where('id', '=', p.unitId).executeTakeFirst();
    return { all: u?.kind === 'national_office', province: u?.province_code ?? null };
  }

  function inScope(scope: { all: boolean; province: string | null }, p: Principal, r: Pick<TipRow, 'province_code' | 'assigned_unit_id'>) {
    return scope.all || (scope.province !== null && r.province_code === scope.province) || (r.assigned_unit_id !== null && p.unitIds.includes(r.assigned_unit_id));
  }

  const isTriage = (p: Principal) => p.roles.some((r) => (TIP_TRIAGE_ROLES as readonly string[]).includes(r));
  const isWorker = (p: Principal) => isTriage(p) || p.roles.some((r) => (TIP_ASSIGNEE_ROLES as readonly string[]).includes(r));

  function assertTriage(p: Principal) {
    if (!isTriage(p)) throw forbidden(`This needs one of the roles: ${TIP_TRIAGE_ROLES.join(', ')}`);
  }

  function assertWorker(p: Principal) {
    if (!isWorker(p)) throw forbidden(`This needs one of the roles: ${[...new Set([...TIP_TRIAGE_ROLES, ...TIP_ASSIGNEE_ROLES])].join(', ')}`);
  }

  async function loadForStaff(p: Principal, id: string, trx: Tx = db.kysely, opts: { lock?: boolean; requestId?: string } = {}): Promise<TipRow> {
    assertWorker(p);
    let q = trx.selectFrom('tips').selectAll().where('id', '=', id);
    if (opts.lock) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    if (!row) throw notFound('Tip');
    if (!inScope(await scopeOf(p, trx), p, row)) {
      await audit.record({ action: 'tip.read', outcome: 'denied', actor: actorOf(p), entityType: RECORD_TYPE, entityId: id, detail: { rule: 'outside-scope' }, requestId: opts.requestId }, trx);
      throw notFound('Tip');
    }
    return row;
  }

  /**
   * Scope first, outside the change's transaction, so that a refused attempt stays in the audit trail
   * (inside, it would roll back with the refusal). The transaction checks again on the locked row.
   */
  async function precheck(p: Principal, id: string, requestId?: string) {
    await loadForStaff(p, id, db.kysely, { requestId });
  }

  /** Another officer holds the tip: writes other than internal notes wait for them (or a take-over). */
  async function assertNotHeldByOther(trx: Tx, p: Principal, row: TipRow) {
    if (row.claimed_by && row.claimed_by !== p.userId) {
      const who = await trx.selectFrom('users').select('username').where('id', '=', row.claimed_by).executeTakeFirst();
      throw new AppError('CONFLICT', `This tip is being handled by ${who?.username ?? 'another officer'}`, [{ field: 'claimedBy', reason: 'claimed', message: `being handled by ${who?.username ?? 'another officer'}` }]);
    }
  }

  function assertOpen(row: TipRow) {
    if (!OPEN.includes(row.status as TipStatus)) throw new AppError('CONFLICT', `This tip is already ${row.status}`, [{ field: 'status', reason: 'invalid_transition', message: `is ${row.status}` }]);
  }

  /** Loads, locks, checks scope, version, claim and openness: the common start of every change. */
  async function forChange(trx: Tx, p: Principal, id: string, version: number | undefined, requestId?: string, opts: { allowClosed?: boolean; ignoreClaim?: boolean } = {}) {
    const row = await loadForStaff(p, id, trx, { lock: true, requestId });
    if (version !== undefined && row.version !== version) throw staleVersion('This tip');
    if (!opts.ignoreClaim) await assertNotHeldByOther(trx, p, row);
    if (!opts.allowClosed) assertOpen(row);
    return row;
  }

  // ---- staff: views ----------------------------------------------------------------------------------

  const overdueSql = (now: Date) => sql<boolean>`((t.status = 'new' AND t.acknowledge_by < ${now}) OR (t.status IN ('new', 'acknowledged', 'in_progress') AND t.conclude_by < ${now}))`;
  const isOverdue = (r: TipRow, now: Date) =>
    (r.status === 'new' && new Date(r.acknowledge_by) < now) || (OPEN.includes(r.status as TipStatus) && new Date(r.conclude_by) < now);

  async function summariesOf(rows: TipRow[], trx: Tx = db.kysely): Promise<TipSummary[]> {
    if (!rows.length) return [];
    const now = clock.now();
    const units = await cases.unitsById(rows.flatMap((r) => [r.proposed_unit_id, r.assigned_unit_id].filter((u): u is string => !!u)), trx);
    const claimers = [...new Set(rows.flatMap((r) => (r.claimed_by ? [r.claimed_by] : [])))];
    const users = claimers.length ? new Map((await trx.selectFrom('users').select(['id', 'username', 'display_name']).where('id', 'in', claimers).execute()).map((u) => [u.id, u])) : new Map<string, { username: string; display_name: string }>();
    const groups = [...new Set(rows.map((r) => r.duplicate_group_id))];
    const groupSizes = new Map((await trx.selectFrom('tips').select(['duplicate_group_id', (eb) => eb.fn.countAll<number>().as('n')]).where('duplicate_group_id', 'in', groups).groupBy('duplicate_group_id').execute()).map((g) => [g.duplicate_group_id, Number(g.n)]));
    const ids = rows.map((r) => r.id);
    const attachmentCounts = new Map((await trx.selectFrom('tip_attachments').select(['tip_id', (eb) => eb.fn.countAll<number>().as('n')]).where('tip_id', 'in', ids).groupBy('tip_id').execute()).map((a) => [a.tip_id, Number(a.n)]));
    const unit = (id: string | null) => {
      const u = id ? units.get(id) : undefined;
      return u ? { id: u.id, code: u.code, nameVi: u.nameVi, nameEn: u.nameEn, forceCode: u.forceCode } : null;
    };
    return rows.map((r) => ({
      id: r.id,
      receipt: r.receipt,
      channel: r.channel as TipSummary['channel'],
      status: r.status as TipStatus,
      subject: r.subject,
      excerpt: r.description.slice(0, 200),
      category: r.category,
      provinceCode: r.province_code,
      occurredOn: r.occurred_on,
      receivedAt: iso(r.received_at),
      acknowledgeBy: iso(r.acknowledge_by),
      concludeBy: iso(r.conclude_by),
      overdue: isOverdue(r, now),
      duplicateGroupId: r.duplicate_group_id,
      duplicates: (groupSizes.get(r.duplicate_group_id) ?? 1) - 1,
      proposedUnit: unit(r.proposed_unit_id),
      assignedUnit: unit(r.assigned_unit_id),
      claimedBy: r.claimed_by ? users.get(r.claimed_by)?.username ?? null : null,
      claimedByName: r.claimed_by ? users.get(r.claimed_by)?.display_name ?? null : null,
      attachments: attachmentCounts.get(r.id) ?? 0,
      caseId: r.case_id,
      version: r.version,
    }));
  }

  /** Tips in the user's scope (see scopeOf), as a query on "tips as t". */
  async function scopedTips(p: Principal) {
    const scope = await scopeOf(p);
    let query = db.kysely.selectFrom('tips as t');
    if (!scope.all) {
      query = query.where((eb) => {
        const ors = [eb('t.assigned_unit_id', 'in', p.unitIds)];
        if (scope.province) ors.push(eb('t.province_code', '=', scope.province));
        return eb.or(ors);
      });
    }
    return query;
  }

  /** Of these tips, the ids `p` may open (triage roles and scope, as `get`): other features' need-to-know for tips. */
  async function visibleIds(p: Principal, ids: readonly string[]): Promise<Set<string>> {
    if (!ids.length || !isWorker(p)) return new Set();
    const rows = await (await scopedTips(p)).select('t.id').where('t.id', 'in', [...ids]).execute();
    return new Set(rows.map((r) => r.id));
  }

  /** The queue: tips in the user's scope, newest first, keyset-paged. */
  async function list(p: Principal, q: TipQuery): Promise<{ items: TipSummary[]; nextCursor: string | null }> {
    assertWorker(p);
    let query = (await scopedTips(p)).selectAll('t');
    if (q.channel) query = query.where('t.channel', '=', q.channel);
    if (q.province) query = query.where('t.province_code', '=', q.province);
    if (q.category) query = query.where('t.category', '=', q.category);
    if (q.status) query = query.where('t.status', '=', q.status);
    if (q.open === true) query = query.where('t.status', 'in', OPEN);
    if (q.open === false) query = query.where('t.status', 'not in', OPEN);
    if (q.overdue === true) query = query.where(overdueSql(clock.now()));
    if (q.overdue === false) query = query.where(sql<boolean>`NOT ${overdueSql(clock.now())}`);
    if (q.assignedUnit) query = query.where('t.assigned_unit_id', '=', q.assignedUnit);
    if (q.mine) query = query.where('t.claimed_by', '=', p.userId);
    if (q.caseId) query = query.where('t.case_id', '=', q.caseId);
    if (q.duplicateGroup) query = query.where('t.duplicate_group_id', '=', q.duplicateGroup);
    const after = decodeCursor(q.cursor, 2);
    if (after) query = query.where(sql<boolean>`(t.received_at, t.id) < (${String(after[0])}::timestamptz, ${String(after[1])}::uuid)`);
    const rows = await query.orderBy('t.received_at', 'desc').orderBy('t.id', 'desc').limit(q.limit + 1).execute();
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return { items: await summariesOf(page), nextCursor: rows.length > q.limit && last ? encodeCursor([iso(last.received_at), last.id]) : null };
  }

  /**
   * Reminders for the app shell: open tips of the user's scope whose next deadline (acknowledgement
   * for a new tip, else conclusion) has passed, and those due within REMINDER_HOURS. Counts are exact;
   * the lists show the most urgent 20 of each.
   */
  async function reminders(p: Principal): Promise<TipReminders> {
    assertWorker(p);
    const now = clock.now();
    const soon = new Date(now.getTime() + REMINDER_HOURS * 3_600_000);
    // The next deadline of an open tip: acknowledging it while new (or concluding, if that comes first), else concluding it.
    const due = sql<Date>`(CASE WHEN t.status = 'new' THEN LEAST(t.acknowledge_by, t.conclude_by) ELSE t.conclude_by END)`;
    const open = await scopedTips(p).then((q) => q.where('t.status', 'in', OPEN));
    const counts = await open
      .select([sql<number>`count(*) FILTER (WHERE ${due} < ${now})::int`.as('overdue'), sql<number>`count(*) FILTER (WHERE ${due} >= ${now} AND ${due} <= ${soon})::int`.as('due_soon')])
      .executeTakeFirstOrThrow();
    const overdueRows = counts.overdue ? await open.selectAll('t').where(sql<boolean>`${due} < ${now}`).orderBy(due).orderBy('t.id').limit(REMINDER_ITEMS).execute() : [];
    const soonRows = counts.due_soon ? await open.selectAll('t').where(sql<boolean>`${due} >= ${now} AND ${due} <= ${soon}`).orderBy(due).orderBy('t.id').limit(REMINDER_ITEMS).execute() : [];
    const withDeadline = async (rows: TipRow[]) =>
      (await summariesOf(rows)).map((summary, i) => {
        const r = rows[i]!;
        const ack = r.status === 'new' && new Date(r.acknowledge_by) <= new Date(r.conclude_by);
        return { ...summary, deadline: ack ? ('acknowledge' as const) : ('conclude' as const), due: iso(ack ? r.acknowledge_by : r.conclude_by) };
      });
    return {
      withinHours: REMINDER_HOURS,
      overdue: { count: counts.overdue, items: await withDeadline(overdueRows) },
      dueSoon: { count: counts.due_soon, items: await withDeadline(soonRows) },
    };
  }

  async function detailOf(p: Principal, row: TipRow, trx: Tx = db.kysely): Promise<TipDetail> {
    const [summary] = await summariesOf([row], trx);
    // Possible duplicates only from the user's own scope (a unit holding a tip by assignment does not see
    // the other tips of that province, nor their receipts).
    const scope = await scopeOf(p, trx);
    let dupQuery = trx.selectFrom('tips').select(['id', 'receipt', 'status', 'received_at']).where('duplicate_group_id', '=', row.duplicate_group_id).where('id', '<>', row.id);
    if (!scope.all) {
      dupQuery = dupQuery.where((eb) => eb.or([eb('assigned_unit_id', 'in', p.unitIds), ...(scope.province ? [eb('province_code', '=', scope.province)] : [])]));
    }
    const [attachments, messages, dups, operator] = await Promise.all([
      trx.selectFrom('tip_attachments').select(['id', 'file_name', 'mime_type', 'size_bytes', 'sha256', 'metadata_removed', 'created_at']).where('tip_id', '=', row.id).orderBy('created_at').orderBy('file_name').execute(),
      trx.selectFrom('tip_messages as m').leftJoin('users as u', 'u.id', 'm.author_user_id').select(['m.id', 'm.kind', 'm.body', 'm.at', 'u.username', 'u.display_name']).where('m.tip_id', '=', row.id).orderBy('m.seq').execute(),
      dupQuery.orderBy('received_at').execute(),
      row.recorded_by ? trx.selectFrom('users').select('username').where('id', '=', row.recorded_by).executeTakeFirst() : Promise.resolve(undefined),
    ]);
    return {
      ...summary!,
      description: row.description,
      wardCode: row.ward_code,
      place: row.place,
      latitude: row.latitude,
      longitude: row.longitude,
      contact: row.contact,
      locale: row.locale,
      refusedFiles: row.refused_files,
      attachmentList: attachments.map((a) => ({ id: a.id, fileName: a.file_name, mimeType: a.mime_type, sizeBytes: a.size_bytes, sha256: a.sha256, metadataRemoved: a.metadata_removed, createdAt: iso(a.created_at) })),
      messages: messages.map((m) => ({ id: m.id, kind: m.kind as TipDetail['messages'][number]['kind'], body: m.body, author: m.username, authorName: m.display_name, at: iso(m.at) })),
      duplicateTips: dups.map((d) => ({ id: d.id, receipt: d.receipt, status: d.status as TipStatus, receivedAt: iso(d.received_at) })),
      acknowledgedAt: row.acknowledged_at ? iso(row.acknowledged_at) : null,
      concludedAt: row.concluded_at ? iso(row.concluded_at) : null,
      closeReason: row.close_reason as TipDetail['closeReason'],
      closeNote: row.close_note,
      claimedAt: row.claimed_at ? iso(row.claimed_at) : null,
      recordedBy: operator?.username ?? null,
    };
  }

  /** One tip with its conversation; reading a reporter's contact goes into the audit trail. */
  async function get(p: Principal, id: string, requestId?: string): Promise<TipDetail> {
    const row = await loadForStaff(p, id, db.kysely, { requestId });
    if (row.contact) await audit.record({ action: 'tip.read', actor: actorOf(p), entityType: RECORD_TYPE, entityId: id, detail: { contact: true }, requestId });
    return detailOf(p, row);
  }

  async function reload(p: Principal, id: string): Promise<TipDetail> {
    return detailOf(p, await db.kysely.selectFrom('tips').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  }

  async function download(p: Principal, id: string, attachmentId: string, requestId?: string) {
    await loadForStaff(p, id, db.kysely, { requestId });
    const a = await db.kysely.selectFrom('tip_attachments').selectAll().where('id', '=', attachmentId).where('tip_id', '=', id).executeTakeFirst();
    if (!a) throw notFound('Attachment');
    await audit.record({ action: 'tip.attachment.download', actor: actorOf(p), entityType: RECORD_TYPE, entityId: id, detail: { attachmentId, sha256: a.sha256 }, requestId });
    return { fileName: a.file_name, mimeType: a.mime_type, sha256: a.sha256, content: a.content };
  }

  // ---- staff: changes --------------------------------------------------------------------------------

  /** A phone call, recorded by an operator; the caller is read the receipt and secret. */
  async function recordHotline(p: Principal, fields: Fields, requestId?: string) {
    assertTriage(p);
    const r = await intake({ channel: 'hotline', fields, badFiles: 'refuse', operator: p, requestId });
    return { tip: await reload(p, r.id), receipt: r.receipt, secret: r.secret };
  }

  async function update(p: Principal, id: string, body: UpdateTipBody, requestId?: string): Promise<TipDetail> {
    const issues = checkFields({ description: '', ...body });
    if (issues.length) throw new AppError('INVALID_INPUT', issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
    assertTriage(p); // the unit a tip is routed to works it; what it says and where it goes are triage's
    await precheck(p, id, requestId);
    await db.kysely.transaction().execute(async (trx) => {
      const cur = await forChange(trx, p, id, body.version, requestId);
      const provinceCode = body.provinceCode === undefined ? cur.province_code : body.provinceCode;
      const category = body.category === undefined ? cur.category : body.category;
      const occurredOn = body.occurredOn === undefined ? cur.occurred_on : body.occurredOn;
      const eventOn = occurredOn ?? vietnamToday({ now: () => new Date(cur.received_at) });
      const placeChanged = provinceCode !== cur.province_code || eventOn !== cur.event_on;
      const group = placeChanged ? await duplicateGroupFor(trx, { id, provinceCode, eventOn, fold: cur.fold_text }) : cur.duplicate_group_id;
      const rerouted = provinceCode !== cur.province_code || category !== cur.category;
      const rule = rerouted ? await routeFor(trx, provinceCode, category) : undefined;
      await trx.updateTable('tips').set({
        province_code: provinceCode, category, occurred_on: occurredOn, event_on: eventOn, duplicate_group_id: group,
        ward_code: body.wardCode === undefined ? cur.ward_code : body.wardCode,
        place: body.place === undefined ? cur.place : body.place,
        ...(rerouted ? { proposed_unit_id: rule?.unit_id ?? null, routing_rule_id: rule?.id ?? null, ...(rule?.mode === 'assign' && !cur.assigned_unit_id ? { assigned_unit_id: rule.unit_id } : {}) } : {}),
        version: cur.version + 1, updated_at: clock.now(),
      }).where('id', '=', id).execute();
      const { version: _v, ...fields } = body;
      await audit.record({ action: 'tip.update', actor: actorOf(p), entityType: RECORD_TYPE, entityId: id, detail: { fields: Object.keys(fields), proposedUnitId: rule?.unit_id }, requestId }, trx);
    });
    return reload(p, id);
  }

  /** "Being handled by": one officer at a time; coordinators and admins may take a tip over. */
  async function claim(p: Principal, id: string, body: { version: number; takeOver?: boolean }, requestId?: string): Promise<TipDetail> {
    await precheck(p, id, requestId);
    await db.kysely.transaction().execute(async (trx) => {
      const cur = await forChange(trx, p, id, body.version, requestId, { ignoreClaim: true });
      if (cur.claimed_by && cur.claimed_by !== p.userId) {
        if (!body.takeOver) await assertNotHeldByOther(trx, p, cur);
        if (!p.roles.some((r) => TAKE_OVER_ROLES.includes(r))) throw forbidden('Only provincial coordinators and admins take over a tip another officer is handling');
      }
      await trx.updateTable('tips').set({ claimed_by: p.userId, claimed_at: clock.now(), version: cur.version + 1, updated_at: clock.now() }).where('id', '=', id).execute();
      await audit.record({ action: 'tip.claim', actor: actorOf(p), entityType: RECORD_TYPE, entityId: id, detail: { from: cur.claimed_by ?? undefined }, requestId }, trx);
    });
    return reload(p, id);
  }

  async function release(p: Principal, id: string, body: { version: number }, requestId?: string): Promise<TipDetail> {
    await precheck(p, id, requestId);
    await db.kysely.transaction().execute(async (trx) => {
      const cur = await forChange(trx, p, id, body.version, requestId, { ignoreClaim: true, allowClosed: true });
      if (!cur.claimed_by) return;
      if (cur.claimed_by !== p.userId && !p.roles.some((r) => TAKE_OVER_ROLES.includes(r))) await assertNotHeldByOther(trx, p, cur);
      await trx.updateTable('tips').set({ claimed_by: null, claimed_at: null, version: cur.version + 1, updated_at: clock.now() }).where('id', '=', id).execute();
      await audit.record({ action: 'tip.release', actor: actorOf(p), entityType: RECORD_TYPE, entityId: id, detail: { from: cur.claimed_by }, requestId }, trx);
    });
    return reload(p, id);
  }

  async function setStatus(p: Principal, id: string, body: { version: number; to: 'acknowledged' | 'in_progress' }, requestId?: string): Promise<TipDetail> {
    await precheck(p, id, requestId);
    await db.kysely.transaction().execute(async (trx) => {
      const cur = await forChange(trx, p, id, body.version, requestId);
      if (cur.status === body.to || (cur.status === 'in_progress' && body.to === 'acknowledged')) {
        throw new AppError('CONFLICT', `A tip ${cur.status.replace('_', ' ')} does not go to ${body.to.replace('_', ' ')}`, [{ field: 'to', reason: 'invalid_transition', message: `not from ${cur.status}` }]);
      }
      const now = clock.now();
      await trx.updateTable('tips').set({ status: body.to, acknowledged_at: cur.acknowledged_at ?? now, version: cur.version + 1, updated_at: now }).where('id', '=', id).execute();
      await audit.record({ action: 'tip.status', actor: actorOf(p), entityType: RECORD_TYPE, entityId: id, detail: { from: cur.status, to: body.to }, requestId }, trx);
    });
    return reload(p, id);
  }

  async function assign(p: Principal, id: string, body: { version: number; unitId: string | null }, requestId?: string): Promise<TipDetail> {
    assertTriage(p);
    await precheck(p, id, requestId);
    await db.kysely.transaction().execute(async (trx) => {
      // Re-routing is triage's call even while someone holds the tip; the holder's claim ends with it, so
      // the new unit's officers can take the tip (a claim kept across units left it stuck: no one there
      // could act on it, and the old holder could no longer open it to release it).
      const cur = await forChange(trx, p, id, body.version, requestId, { ignoreClaim: true });
      if (body.unitId) {
        const u = await trx.selectFrom('org_units').select(['id', 'active']).where('id', '=', body.unitId).executeTakeFirst();
        if (!u?.active) throw invalidField('unitId', 'invalid_value', 'no such active unit');
      }
      const moved = body.unitId !== cur.assigned_unit_id;
      await trx.updateTable('tips').set({ assigned_unit_id: body.unitId, ...(moved ? { claimed_by: null, claimed_at: null } : {}), version: cur.version + 1, updated_at: clock.now() }).where('id', '=', id).execute();
      await audit.record({ action: 'tip.assign', actor: actorOf(p), entityType: RECORD_TYPE, entityId: id, detail: { from: cur.assigned_unit_id, to: body.unitId, proposed: cur.proposed_unit_id, ...(moved && cur.claimed_by ? { releasedClaimOf: cur.claimed_by } : {}) }, requestId }, trx);
    });
    return reload(p, id);
  }

  /**
   * Internal notes (never shown to the reporter; any officer in scope may add one, even while another
   * holds the tip) and public replies (the holder's, and they acknowledge a new tip).
   */
  async function addMessage(p: Principal, id: string, body: { kind: 'public_reply' | 'internal_note'; body: string }, requestId?: string): Promise<TipDetail> {
    await precheck(p, id, requestId);
    await db.kysely.transaction().execute(async (trx) => {
      const internal = body.kind === 'internal_note';
      const cur = await forChange(trx, p, id, undefined, requestId, { ignoreClaim: internal, allowClosed: true });
      if (!internal && cur.status === 'closed') assertOpen(cur);
      const now = clock.now();
      const messageId = randomUUID();
      await trx.insertInto('tip_messages').values({ id: messageId, tip_id: id, kind: body.kind, body: body.body, author_user_id: p.userId, at: now, created_at: now }).execute();
      if (!internal && cur.status === 'new') {
        await trx.updateTable('tips').set({ status: 'acknowledged', acknowledged_at: now, version: cur.version + 1, updated_at: now }).where('id', '=', id).execute();
      }
      await audit.record({ action: internal ? 'tip.note' : 'tip.reply', actor: actorOf(p), entityType: RECORD_TYPE, entityId: id, detail: { messageId, length: body.body.length }, requestId }, trx);
    });
    return reload(p, id);
  }

  async function close(p: Principal, id: string, body: { version: number; reason: string; note?: string }, requestId?: string): Promise<TipDetail> {
    await precheck(p, id, requestId);
    await db.kysely.transaction().execute(async (trx) => {
      const cur = await forChange(trx, p, id, body.version, requestId);
      if (body.reason === 'other' && !body.note) throw invalidField('note', 'required', 'say why the tip is closed');
      const now = clock.now();
      await trx.updateTable('tips').set({ status: 'closed', close_reason: body.reason, close_note: body.note ?? null, concluded_at: now, acknowledged_at: cur.acknowledged_at ?? now, version: cur.version + 1, updated_at: now }).where('id', '=', id).execute();
      await audit.record({ action: 'tip.close', actor: actorOf(p), entityType: RECORD_TYPE, entityId: id, detail: { from: cur.status, reason: body.reason }, requestId }, trx);
    });
    return reload(p, id);
  }

  /**
   * Records a case from the tip, in one transaction: the case (through the case registry's own
   * validation and insert), the tip's attachments copied to the case, the tip marked converted with the
   * case's id (the link both ways: `tips.case_id` is unique; `GET /api/tips?caseId=` finds the tip).
   * Only users who may record cases convert (CASE_WRITER_ROLES); see docs/development.md, "Tips".
   */
  async function convert(p: Principal, id: string, body: ConvertTipBody, requestId?: string): Promise<{ tip: TipDetail; caseId: string }> {
    // A case is a law-enforcement record: converting needs a role that records cases, whatever the
    // triage role allows (tip_triage alone reads, routes and answers tips, and hands them over).
    if (!cases.canWrite(p)) throw forbidden(`Converting a tip records a case: this needs one of the roles ${CASE_WRITER_ROLES.join(', ')}`);
    await precheck(p, id, requestId);
    const caseId = await db.kysely.transaction().execute(async (trx) => {
      const cur = await forChange(trx, p, id, body.version, requestId);
      const provinceCode = body.case.provinceCode ?? cur.province_code;
      if (!provinceCode) throw invalidField('case.provinceCode', 'required', 'the tip has no province: give the case one');
      const caseBody: CreateCaseBody = {
        ...body.case,
        title: body.case.title ?? `Tin báo ${cur.receipt}`,
        summary: body.case.summary || cur.description.slice(0, 20_000),
        detectedOn: body.case.detectedOn ?? cur.occurred_on ?? vietnamToday({ now: () => new Date(cur.received_at) }),
        provinceCode,
        wardCode: body.case.wardCode === undefined ? cur.ward_code : body.case.wardCode,
        place: body.case.place === undefined ? cur.place : body.case.place,
        latitude: body.case.latitude === undefined ? cur.latitude : body.case.latitude,
        longitude: body.case.longitude === undefined ? cur.longitude : body.case.longitude,
        leadUnitId: body.case.leadUnitId ?? cur.assigned_unit_id ?? undefined,
      };
      const prepared = await cases.prepare(p, caseBody, trx, 'case.');
      const created = await cases.insertPrepared(trx, p, prepared, { requestId });
      if (!created.created) throw new AppError('CONFLICT', `Your unit already recorded a case with reference "${caseBody.sourceRef}"`, [{ field: 'case.sourceRef', reason: 'not_unique', message: 'is already used by a case of your unit' }]);
      const now = clock.now();
      const files = await trx.selectFrom('tip_attachments').selectAll().where('tip_id', '=', id).orderBy('created_at').execute();
      for (const f of files) {
        const attachmentId = randomUUID();
        await trx.insertInto('case_attachments').values({ id: attachmentId, case_id: created.id, file_name: f.file_name, mime_type: f.mime_type, size_bytes: f.size_bytes, sha256: f.sha256, content: f.content, uploaded_by: p.userId, created_at: now }).execute();
        await audit.record({ action: 'case.attachment.add', actor: actorOf(p), entityType: 'case', entityId: created.id, detail: { attachmentId, fileName: f.file_name, mimeType: f.mime_type, sizeBytes: f.size_bytes, sha256: f.sha256, fromTip: id }, requestId }, trx);
      }
      await trx.updateTable('tips').set({ status: 'converted', case_id: created.id, concluded_at: now, acknowledged_at: cur.acknowledged_at ?? now, version: cur.version + 1, updated_at: now }).where('id', '=', id).execute();
      await audit.record({ action: 'tip.convert', actor: actorOf(p), entityType: RECORD_TYPE, entityId: id, detail: { caseId: created.id, attachments: files.length }, requestId }, trx);
      return created.id;
    });
    return { tip: await reload(p, id), caseId };
  }

  return {
    intake, publicGet, publicMessage, list, reminders, get, download, recordHotline, update, claim, release, setStatus, assign, addMessage, close, convert,
    maxFileBytes, scopeOf, visibleIds,
  };
}

export type TipsService = ReturnType<typeof createTipsService>;
