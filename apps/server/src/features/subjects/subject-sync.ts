/**
 * Incremental subject sync (issue 7): which case subject records a sync must resolve again.
 *
 * A full run resolves every record. An incremental run resolves
 * - the records that are new or changed since the last run (their fingerprint differs from the one
 *   stored in `subject_record_keys`), and the records deleted since then (through their stored keys);
 * - every record sharing a blocking key with those, within the window the engine's blocking compares
 *   (`DEFAULT_BLOCKING`: all of a group up to `maxBlockSize`, `window` neighbours on each side in a
 *   sorted neighbourhood) — the pairs a full run would compare with them;
 * - every record of the subjects all those belong to, so each subject is resolved whole (its spanning
 *   tree and votes), and subjects that lost a record.
 * Every other subject, membership and proposal is left as it is.
 */
import { DEFAULT_BLOCKING, modelForFile, subjectBlockingKeys, type EntityKind, type FsModel, type Gazetteer, type KindFit } from '@cordon/engine';
import { sql, type Database, type Kysely } from '@cordon/db';

type Tx = Kysely<Database>;

/**
 * Version of the key derivation below. Keys stored by another version make the next sync a full run
 * (which rewrites them): bump it when the engine's `subjectBlockingKeys` change. 2: addresses read
 * through the gazetteer (province and ward taken out of the `sn:addr` sort key).
 */
export const KEYS_VERSION = 2;

/** How this run derives keys: the gazetteer the resolver gets, and the version stored with the keys. */
export interface KeyDerivation {
  gazetteer?: Gazetteer;
  /** `keysVersion(digest)` */
  version: number;
}

/**
 * The version stored with the keys: `KEYS_VERSION` and the digest of the ward tables the gazetteer was
 * built from (`KEYS_VERSION · 10⁶ + 20 bits of the digest`, fits the integer column). Keys derived with
 * other wards (a reference import since) are then of another version: the next sync is full.
 */
export const keysVersion = (wardsDigest: string) => KEYS_VERSION * 1_000_000 + (parseInt(wardsDigest.slice(0, 5), 16) % 1_000_000);
const CHUNK = 500;

/** The fields the resolver reads, hashed in SQL (the stored fingerprint is compared with this). */
export const fingerprintSql = (alias = 's') => {
  const c = (col: string) => sql`coalesce(${sql.ref(`${alias}.${col}`)}::text, '')`;
  return sql<string>`md5(concat_ws(chr(31), ${sql.ref(`${alias}.kind`)}, ${sql.ref(`${alias}.name`)}, ${c('id_number')}, ${c('tax_code')}, ${c('plate')}, ${c('imo')}, ${c('phone')}, ${c('date_of_birth')}, ${c('address')}))`;
};

/**
 * A record's place in the sync's order: case code, position in the case, id (byte order). The engine
 * keeps records in input order among equal sort keys, so this orders ties as a full run does.
 */
export const ordSql = (s = 's', c = 'c') =>
  sql<string>`(${sql.ref(`${c}.code`)} || chr(31) || lpad(${sql.ref(`${s}.position`)}::text, 6, '0') || chr(31) || ${sql.ref(`${s}.id`)}::text) COLLATE "C"`;

export interface KeyRecord {
  id: string;
  /** `ordSql` */
  ord: string;
  kind: string;
  name: string;
  id_number: string | null;
  tax_code: string | null;
  plate: string | null;
  imo: string | null;
  phone: string | null;
  date_of_birth: string | null;
  address: string | null;
}

export interface BlockKey {
  group: string;
  sort: string;
}

type Probe = BlockKey & { kind: string; ord: string };

/** The blocking keys the engine gives this record (`subjectBlockingKeys`, the resolver's own derivation). */
export function blockKeysOf(r: KeyRecord, gazetteer?: Gazetteer): BlockKey[] {
  const record = { id: r.id, kind: r.kind, name: r.name, idNumber: r.id_number, taxCode: r.tax_code, plate: r.plate, imo: r.imo, phone: r.phone, dateOfBirth: r.date_of_birth, address: r.address };
  return subjectBlockingKeys(record, gazetteer ? { gazetteer } : {});
}

/**
 * Records sharing a blocking key with the probes, within the engine's reach. A group that will hold at
 * most `maxBlockSize` records (stored ones plus `delta`: keys added less keys removed by this run)
 * is compared pair by pair: all of it (`maxBlockSize` on each side covers it). A larger group, and a
 * sorted neighbourhood (`sn:`), slides a window: the `window` nearest on each side in (sort key, record
 * order), the order the engine walks.
 */
export async function neighboursOf(trx: Tx, probes: readonly Probe[], delta: ReadonlyMap<string, number> = new Map()): Promise<Set<string>> {
  const out = new Set<string>();
  const { maxBlockSize, window } = DEFAULT_BLOCKING;
  const unique = [...new Map(probes.map((p) => [`${p.kind}\u0000${p.group}\u0000${p.sort}\u0000${p.ord}`, p])).values()];
  for (let k = 0; k < unique.length; k += CHUNK) {
    const values = sql.join(
      unique.slice(k, k + CHUNK).map((p) => {
        const sorted = p.group.startsWith('sn:');
        return sql`(${p.kind}::text, ${p.group}::text, ${p.sort}::text COLLATE "C", ${p.ord}::text COLLATE "C", ${sorted}::boolean, ${delta.get(groupKey(p.kind, p.group)) ?? 0}::int)`;
      }),
    );
    const same = sql`b.kind = q.kind AND b.key_group = q.grp`;
    const rows = await sql<{ id: string }>`
      WITH q AS (
        SELECT v.kind, v.grp, v.sort, v.ord, CASE WHEN v.sorted THEN ${window}::int
          WHEN (SELECT count(*) FROM (SELECT 1 FROM subject_block_keys b WHERE b.kind = v.kind AND b.key_group = v.grp LIMIT ${maxBlockSize + 1 + 2 * CHUNK}) c) + v.delta <= ${maxBlockSize}
          THEN ${maxBlockSize}::int ELSE ${window}::int END AS reach
        FROM (VALUES ${values}) AS v(kind, grp, sort, ord, sorted, delta)
      )
      SELECT DISTINCT x.id FROM q
      CROSS JOIN LATERAL (
        (SELECT b.case_subject_id AS id FROM subject_block_keys b WHERE ${same} AND (b.sort_key, b.ord) < (q.sort, q.ord)
          ORDER BY b.sort_key DESC, b.ord DESC LIMIT q.reach)
        UNION ALL
        (SELECT b.case_subject_id AS id FROM subject_block_keys b WHERE ${same} AND (b.sort_key, b.ord) > (q.sort, q.ord)
          ORDER BY b.sort_key, b.ord LIMIT q.reach)
      ) x`.execute(trx);
    for (const r of rows.rows) out.add(r.id);
  }
  return out;
}

const groupKey = (kind: string, group: string) => `${kind}\u0000${group}`;

export interface SyncPlan {
  mode: 'full' | 'incremental';
  /** Records to resolve (incremental); undefined: all. */
  ids?: string[];
  /** Records whose keys are written by this run (new, changed, or keys of another version). */
  rekey: Set<string>;
  /** Records deleted since the last run (their keys are removed). */
  gone: string[];
  /** Subjects that lost records to deletion (refreshed, removed when empty). */
  shrunk: string[];
  /** Records edited in place since the last run (same id, other values). */
  edited: string[];
}

/**
 * What this sync resolves. A full run when asked, on the first run (no keys stored), when records
 * were placed by a sync that kept no keys (before migration 0024), or when stored keys are of another
 * `KEYS_VERSION`.
 */
export async function planSync(trx: Tx, full: boolean, keys: KeyDerivation, stage: (name: string) => void = () => {}): Promise<SyncPlan> {
  const fp = fingerprintSql('s');
  const dirty = (
    await sql<KeyRecord & { had_keys: boolean; placed: boolean; other_version: boolean }>`
      SELECT s.id, ${ordSql('s', 'c')} AS ord, s.kind, s.name, s.id_number, s.tax_code, s.plate, s.imo, s.phone, s.date_of_birth::text AS date_of_birth, s.address,
        k.case_subject_id IS NOT NULL AS had_keys, m.case_subject_id IS NOT NULL AS placed, coalesce(k.keys_version <> ${keys.version}, false) AS other_version
      FROM case_subjects s
      JOIN cases c ON c.id = s.case_id
      LEFT JOIN subject_record_keys k ON k.case_subject_id = s.id
      LEFT JOIN subject_members m ON m.case_subject_id = s.id
      WHERE k.case_subject_id IS NULL OR k.fingerprint <> ${fp} OR k.keys_version <> ${keys.version}`.execute(trx)
  ).rows;
  const gone = (await sql<{ id: string }>`SELECT k.case_subject_id AS id FROM subject_record_keys k
    WHERE NOT EXISTS (SELECT 1 FROM case_subjects s WHERE s.id = k.case_subject_id)`.execute(trx)).rows.map((r) => r.id);
  const rekey = new Set(dirty.map((d) => d.id));
  const edited = dirty.filter((d) => d.had_keys && !d.other_version).map((d) => d.id);
  const shrunk = gone.length
    ? (await sql<{ id: string }>`SELECT s.id FROM subjects s LEFT JOIN (SELECT subject_id, count(*)::int AS n FROM subject_members GROUP BY subject_id) m ON m.subject_id = s.id
        WHERE s.merged_into IS NULL AND s.member_count <> coalesce(m.n, 0)`.execute(trx)).rows.map((r) => r.id)
    : [];
  stage('plan.changes');
  const noKeys = !(await sql<{ one: number }>`SELECT 1 AS one FROM subject_record_keys LIMIT 1`.execute(trx)).rows.length;
  if (full || noKeys || dirty.some((d) => (d.placed && !d.had_keys) || d.other_version)) return { mode: 'full', rekey, gone, shrunk, edited };
  if (!dirty.length && !gone.length) return { mode: 'incremental', ids: [], rekey, gone, shrunk, edited };

  // probes: the dirty records' keys now, and the keys changed or deleted records had; per group, how
  // many keys this run adds less how many it removes (a group's size decides how the engine pairs it)
  const probes: Probe[] = dirty.flatMap((d) => blockKeysOf(d, keys.gazetteer).map((k) => ({ ...k, kind: d.kind, ord: d.ord })));
  const delta = new Map<string, number>();
  for (const p of probes) delta.set(groupKey(p.kind, p.group), (delta.get(groupKey(p.kind, p.group)) ?? 0) + 1);
  const before = [...dirty.filter((d) => d.had_keys).map((d) => d.id), ...gone];
  for (let k = 0; k < before.length; k += CHUNK) {
    const old = await trx.selectFrom('subject_block_keys').select(['kind', 'key_group', 'sort_key', 'ord']).where(sql<boolean>`case_subject_id = ANY(${sql.val(before.slice(k, k + CHUNK))}::uuid[])`).execute();
    for (const o of old) {
      probes.push({ kind: o.kind, group: o.key_group, sort: o.sort_key, ord: o.ord });
      delta.set(groupKey(o.kind, o.key_group), (delta.get(groupKey(o.kind, o.key_group)) ?? 0) - 1);
    }
  }
  const seeds = await neighboursOf(trx, probes, delta);
  stage('plan.neighbours');
  for (const d of dirty) seeds.add(d.id);
  for (const g of gone) seeds.delete(g);

  // whole subjects: of the seeds, of records linked to a deleted record, and those that lost records
  const ids = new Set(seeds);
  const seedList = [...seeds];
  const subjectIds = new Set(shrunk);
  for (let k = 0; k < seedList.length; k += CHUNK * 10) {
    const rows = await trx.selectFrom('subject_members').select('subject_id').distinct().where(sql<boolean>`case_subject_id = ANY(${sql.val(seedList.slice(k, k + CHUNK * 10))}::uuid[])`).execute();
    for (const r of rows) subjectIds.add(r.subject_id);
  }
  if (gone.length) {
    const linked = await trx.selectFrom('subject_members').select('subject_id').distinct().where(sql<boolean>`linked_to = ANY(${sql.val(gone)}::uuid[])`).execute();
    for (const r of linked) subjectIds.add(r.subject_id);
  }
  const subjectList = [...subjectIds];
  for (let k = 0; k < subjectList.length; k += CHUNK * 10) {
    const rows = await trx.selectFrom('subject_members').select('case_subject_id').where(sql<boolean>`subject_id = ANY(${sql.val(subjectList.slice(k, k + CHUNK * 10))}::uuid[])`).execute();
    for (const r of rows) ids.add(r.case_subject_id);
  }
  stage('plan.subjects');
  return { mode: 'incremental', ids: [...ids], rekey, gone, shrunk, edited };
}

/**
 * The models the last full run estimated per kind (kept in its `subject_sync_runs.stats.models`), for an
 * incremental run to score with: estimated on the part it resolves, the weights and the prior would
 * describe records picked for sharing keys with new ones, not the file. Each prior is moved to today's
 * number of records of the kind (`modelForFile`; not for a kind whose run found almost no matches to
 * learn from). None when the last full run derived keys another way
 * (`keys.version`: another gazetteer or key version) or kept no models (before session 6).
 */
export async function lastFullRunModels(trx: Tx, keys: KeyDerivation): Promise<Partial<Record<EntityKind, FsModel>> | undefined> {
  const row = await trx.selectFrom('subject_sync_runs').select('stats').where(sql<boolean>`stats->>'mode' = 'full'`).orderBy('started_at', 'desc').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  if (!row) return undefined;
  const stats = (typeof row.stats === 'string' ? JSON.parse(row.stats) : row.stats) as { keysVersion?: number; models?: Partial<Record<EntityKind, KindFit>> };
  if (stats.keysVersion !== keys.version || !stats.models) return undefined;
  const counts = new Map((await sql<{ kind: string; n: number }>`SELECT kind, count(*)::int AS n FROM case_subjects GROUP BY kind`.execute(trx)).rows.map((r) => [r.kind, r.n]));
  const out: Partial<Record<EntityKind, FsModel>> = {};
  for (const [kind, fit] of Object.entries(stats.models) as [EntityKind, KindFit][]) {
    // (a kind whose full run had no duplicates to learn from is estimated on the part, as before)
    const model = modelForFile(fit, counts.get(kind) ?? fit.records);
    if (model) out[kind] = model;
  }
  return out;
}

/** Stores the keys of the given records (read from `rows`) and forgets those of deleted records. */
export async function writeKeys(trx: Tx, rows: readonly (KeyRecord & { fp: string })[], gone: readonly string[], now: Date, keys: KeyDerivation): Promise<void> {
  const drop = [...rows.map((r) => r.id), ...gone];
  for (let k = 0; k < drop.length; k += CHUNK * 10) {
    const chunk = sql.val(drop.slice(k, k + CHUNK * 10));
    await sql`DELETE FROM subject_block_keys WHERE case_subject_id = ANY(${chunk}::uuid[])`.execute(trx);
    await sql`DELETE FROM subject_record_keys WHERE case_subject_id = ANY(${chunk}::uuid[])`.execute(trx);
  }
  const STEP = 5000;
  for (let k = 0; k < rows.length; k += STEP) {
    const part = rows.slice(k, k + STEP);
    const ids: string[] = [];
    const kinds: string[] = [];
    const groups: string[] = [];
    const sorts: string[] = [];
    const ords: string[] = [];
    for (const r of part) {
      for (const key of blockKeysOf(r, keys.gazetteer)) {
        ids.push(r.id);
        kinds.push(r.kind);
        groups.push(key.group);
        sorts.push(key.sort);
        ords.push(r.ord);
      }
    }
    await sql`INSERT INTO subject_block_keys (case_subject_id, kind, key_group, sort_key, ord)
      SELECT * FROM unnest(${sql.val(ids)}::uuid[], ${sql.val(kinds)}::text[], ${sql.val(groups)}::text[], ${sql.val(sorts)}::text[], ${sql.val(ords)}::text[])`.execute(trx);
    await sql`INSERT INTO subject_record_keys (case_subject_id, kind, fingerprint, keys_version, updated_at)
      SELECT id, kind, fp, ${keys.version}::int, ${now} FROM unnest(${sql.val(part.map((r) => r.id))}::uuid[], ${sql.val(part.map((r) => r.kind))}::text[], ${sql.val(part.map((r) => r.fp))}::text[]) AS t(id, kind, fp)`.execute(trx);
  }
}
