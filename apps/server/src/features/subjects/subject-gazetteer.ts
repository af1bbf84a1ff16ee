/**
 * The gazetteer the subject sync reads addresses with (issue 7): the 34 provinces and the 63 former
 * ones from `@cordon/reference`, plus the wards an administrator loaded (`cordon reference import`:
 * `ref_wards`, `ref_wards_pre2025`, `ref_ward_crosswalk`). `cordon entities resolve --gazetteer DIR`
 * builds the same input from the published files (`provinceGazetteerInput` is shared with it).
 *
 * Built once per process and kept while the ward tables hold the same rows: each sync asks the
 * database for a digest of them (one query, a few ms), so an import by another process (the CLI) is
 * seen by the next sync of a running server too. Without any ward loaded the gazetteer still reads
 * provinces (a former province counts as its 2025 successor).
 */
import { buildGazetteer, type Gazetteer, type GazetteerInput } from '@cordon/engine';
import { FORMER_PROVINCES, PROVINCES } from '@cordon/reference';
import { sql, type Database, type Kysely } from '@cordon/db';

/** Names people write for provinces besides their own (folded by the gazetteer). */
const PROVINCE_ALIASES: Readonly<Record<string, readonly string[]>> = {
  '79': ['HCM', 'HCMC', 'TPHCM', 'Sài Gòn', 'Saigon'],
  '01': ['Hanoi'],
  '31': ['Haiphong'],
  '48': ['Danang'],
  '46': ['Thừa Thiên Huế', 'Thừa Thiên'],
};

/** The provinces (34 and the 63 before 2025) as the gazetteer takes them, from `@cordon/reference`. */
export function provinceGazetteerInput(): GazetteerInput {
  return {
    provinces: PROVINCES.map((p) => ({ code: p.code, name: p.name, aliases: [p.nameEn, ...(PROVINCE_ALIASES[p.code] ?? [])] })),
    formerProvinces: FORMER_PROVINCES.map((p) => ({ code: p.code, name: p.name, successorCode: p.successorCode })),
  };
}

export interface SubjectGazetteer {
  gazetteer: Gazetteer;
  /** md5 of the ward rows it was built from (codes are digits only: the order is the same in every collation). */
  digest: string;
}

let cached: SubjectGazetteer | undefined;

/** Digest of what the gazetteer is built from (the provinces are code: a change there bumps `KEYS_VERSION`). */
async function wardsDigest(trx: Kysely<Database>): Promise<string> {
  const r = await sql<{ digest: string }>`SELECT md5(concat_ws('#',
      (SELECT string_agg(code || ':' || name || ':' || province_code, '|' ORDER BY code) FROM ref_wards),
      (SELECT string_agg(code || ':' || name || ':' || province_code, '|' ORDER BY code) FROM ref_wards_pre2025),
      (SELECT string_agg(old_code || ':' || new_code, '|' ORDER BY old_code, new_code) FROM ref_ward_crosswalk))) AS digest`.execute(trx);
  return r.rows[0]!.digest;
}

/** The gazetteer over the reference tables as they are now (rebuilt only when their rows changed). */
export async function subjectGazetteer(trx: Kysely<Database>): Promise<SubjectGazetteer> {
  const digest = await wardsDigest(trx);
  if (cached?.digest === digest) return cached;
  const wards = await trx.selectFrom('ref_wards').select(['code', 'name', 'province_code']).orderBy('code').execute();
  const formerWards = await trx.selectFrom('ref_wards_pre2025').select(['code', 'name', 'province_code']).orderBy('code').execute();
  const crosswalk = await trx.selectFrom('ref_ward_crosswalk').select(['old_code', 'new_code']).orderBy('old_code').orderBy('new_code').execute();
  cached = {
    digest,
    gazetteer: buildGazetteer({
      ...provinceGazetteerInput(),
      wards: wards.map((w) => ({ code: w.code, name: w.name, provinceCode: w.province_code })),
      formerWards: formerWards.map((w) => ({ code: w.code, name: w.name, provinceCode: w.province_code })),
      wardCrosswalk: crosswalk.map((c) => ({ oldCode: c.old_code, newCode: c.new_code })),
    }),
  };
  return cached;
}
