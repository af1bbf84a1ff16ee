import { createHash, randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type {
  BorderGateView,
  CountryView,
  HsCodeView,
  PortView,
  ProvinceShapes,
  ReferenceImportView,
  WardView,
} from '@cordon/contracts';
import type { Db } from '@cordon/db';
import {
  PROVINCES,
  REFERENCE_FILE_TYPES,
  foldVietnamese,
  isReferenceFileKind,
  referenceFileType,
  type BorderGateRow,
  type CountryRow,
  type HsCodeRow,
  type ImportProblem,
  type PortRow,
  type ProvinceLabelRow,
  type ProvinceShapeRow,
  type ReferenceFileKind,
  type Ward2025Row,
  type WardCrosswalkRow,
  type WardPre2025Row,
} from '@cordon/reference';
import { AppError, notFound } from '../../errors.js';

/** What one file's import did. `failed`: nothing could be loaded from it (unreadable, wrong columns). */
export interface ImportReport {
  kind: ReferenceFileKind;
  file: string;
  sha256: string | null;
  imported: number;
  /** Rows skipped because of problems (a row can have several problems). */
  rejected: number;
  problems: ImportProblem[];
  failed: boolean;
}

export type ReferenceService = ReturnType<typeof createReferenceService>;

/** Rows per INSERT statement: 500 × ≤12 columns stays far below PostgreSQL's 65,535 parameters. */
const BATCH = 500;
/** Problems kept in ref_imports per file; the report returned to the caller has them all. */
const STORED_PROBLEMS = 1000;

interface Upsert {
  table: string;
  key: readonly string[];
  /** Column names, with `::jsonb` where a value is JSON text. */
  columns: readonly string[];
  values: unknown[][];
}

/** Maps parsed rows of one kind onto its table. Each kind upserts on the table's natural key. */
function toUpsert(kind: ReferenceFileKind, rows: unknown[]): Upsert {
  switch (kind) {
    case 'wards_2025':
      return {
        table: 'ref_wards',
        key: ['code'],
        columns: ['code', 'name', 'type', 'name_ascii', 'province_code', 'merged_from_count', 'search_text'],
        values: (rows as Ward2025Row[]).map((r) => [
          r.code, r.name, r.type, r.nameAscii, r.provinceCode, r.mergedFromCount, foldVietnamese(r.name),
        ]),
      };
    case 'wards_pre2025':
      return {
        table: 'ref_wards_pre2025',
        key: ['code'],
        columns: ['code', 'name', 'name_ascii', 'province_code', 'search_text'],
        values: (rows as WardPre2025Row[]).map((r) => [r.code, r.name, r.nameAscii, r.provinceCode, foldVietnamese(r.name)]),
      };
    case 'ward_crosswalk':
      return {
        table: 'ref_ward_crosswalk',
        key: ['old_code', 'new_code'],
        columns: ['old_code', 'new_code', 'old_name', 'old_province_code', 'new_name', 'new_province_code', 'is_split', 'merge_type'],
        values: (rows as WardCrosswalkRow[]).map((r) => [
          r.oldCode, r.newCode, r.oldName, r.oldProvinceCode, r.newName, r.newProvinceCode, r.isSplit, r.mergeType,
        ]),
      };
    case 'hs_chapters':
    case 'hs_headings':
    case 'vn_tariff':
      return {
        table: 'ref_hs_codes',
        key: ['code'],
        columns: ['code', 'level', 'parent', 'name_vi', 'name_en', 'search_text'],
        values: (rows as HsCodeRow[]).map((r) => [r.code, r.level, r.parent, r.nameVi, r.nameEn, r.searchText]),
      };
    case 'province_shapes':
      return {
        table: 'ref_province_shapes',
        key: ['province_code'],
        columns: ['province_code', 'name', 'geometry::jsonb'],
        values: (rows as ProvinceShapeRow[]).map((r) => [r.provinceCode, r.name, JSON.stringify(r.geometry)]),
      };
    case 'province_labels':
      return {
        table: 'ref_province_shapes',
        key: ['province_code'],
        columns: ['province_code', 'label_lon', 'label_lat'],
        values: (rows as ProvinceLabelRow[]).map((r) => [r.provinceCode, r.longitude, r.latitude]),
      };
    case 'border_gates':
      return {
        table: 'ref_border_gates',
        key: ['code'],
        columns: [
          'code', 'name', 'level', 'neighbor_country', 'counterpart_gate', 'counterpart_province', 'province_code',
          'latitude', 'longitude', 'source_url', 'provenance', 'search_text',
        ],
        values: (rows as BorderGateRow[]).map((r) => [
          r.code, r.name, r.level, r.neighborCountry, r.counterpartGate, r.counterpartProvince, r.provinceCode,
          r.latitude, r.longitude, r.sourceUrl, r.provenance, r.searchText,
        ]),
      };
    case 'seaports':
    case 'airports':
      return {
        table: 'ref_ports',
        key: ['code'],
        columns: ['code', 'kind', 'name', 'city', 'province_code', 'latitude', 'longitude', 'iata_code', 'note', 'search_text'],
        values: (rows as PortRow[]).map((r) => [
          r.code, r.kind, r.name, r.city, r.provinceCode, r.latitude, r.longitude, r.iataCode, r.note, r.searchText,
        ]),
      };
    case 'countries':
      return {
        table: 'ref_countries',
        key: ['alpha2'],
        columns: ['alpha2', 'alpha3', 'numeric_code', 'name_en', 'name_vi', 'continent', 'search_text'],
        values: (rows as CountryRow[]).map((r) => [r.alpha2, r.alpha3, r.numeric, r.nameEn, r.nameVi, r.continent, r.searchText]),
      };
  }
}

/** `INSERT … ON CONFLICT (key) DO UPDATE`, BATCH rows per statement: rerunning an import never duplicates. */
async function upsert(db: Db, u: Upsert): Promise<void> {
  const names = u.columns.map((c) => c.split('::')[0]!);
  const casts = u.columns.map((c) => (c.includes('::') ? '::' + c.split('::')[1] : ''));
  const update = names.filter((n) => !u.key.includes(n)).map((n) => `${n} = EXCLUDED.${n}`);
  update.push('updated_at = now()');
  for (let start = 0; start < u.values.length; start += BATCH) {
    const batch = u.values.slice(start, start + BATCH);
    const params: unknown[] = [];
    const tuples = batch.map((row) => {
      const slots = row.map((v, i) => {
        params.push(v);
        return `$${params.length}${casts[i]}`;
      });
      return `(${slots.join(', ')})`;
    });
    await db.query(
      `INSERT INTO ${u.table} (${names.join(', ')}) VALUES ${tuples.join(', ')}
       ON CONFLICT (${u.key.join(', ')}) DO UPDATE SET ${update.join(', ')}`,
      params,
    );
  }
}

/** Escapes LIKE wildcards in user text. */
function likeContains(folded: string): string {
  return '%' + folded.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

function toHsView(r: { code: string; level: string; parent: string | null; name_vi: string; name_en: string }): HsCodeView {
  return { code: r.code, level: r.level as HsCodeView['level'], parent: r.parent, nameVi: r.name_vi, nameEn: r.name_en };
}

export function createReferenceService({ db }: { db: Db }) {
  /** Loads one official file of a known kind; bad rows are reported with their line and skipped. */
  async function importFile(kind: ReferenceFileKind | string, filePath: string): Promise<ImportReport> {
    if (!isReferenceFileKind(kind)) {
      throw new AppError('INVALID_INPUT', `Unknown reference file kind "${kind}"`, [
        { field: 'kind', reason: 'invalid_value', message: `expected one of: ${REFERENCE_FILE_TYPES.map((t) => t.kind).join(', ')}` },
      ]);
    }
    const startedAt = new Date();
    const file = basename(filePath);
    let bytes: Buffer;
    try {
      bytes = await readFile(filePath);
    } catch (err) {
      const reason = `cannot read file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
      return { kind, file: filePath, sha256: null, imported: 0, rejected: 0, problems: [{ line: 0, field: '', reason }], failed: true };
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const { rows, problems } = await referenceFileType(kind).parse(bytes);
    await upsert(db, toUpsert(kind, rows));
    const rejected = new Set(problems.filter((p) => p.line > 0).map((p) => p.line)).size;
    const failed = rows.length === 0 && problems.length > 0;
    await db.kysely
      .insertInto('ref_imports')
      .values({
        id: randomUUID(),
        kind,
        file_name: file,
        sha256,
        rows_imported: rows.length,
        rows_rejected: rejected,
        problems: JSON.stringify(problems.slice(0, STORED_PROBLEMS)),
        started_at: startedAt,
        finished_at: new Date(),
      })
      .execute();
    return { kind, file: filePath, sha256, imported: rows.length, rejected, problems, failed };
  }

  /**
   * Finds the known files (by their published names) anywhere under `dir`, e.g. a copy of the
   * published data set, and imports each in dependency order. Files it does not know are left alone.
   */
  async function importDirectory(dir: string): Promise<ImportReport[]> {
    const found = new Map<string, string>();
    const wanted = new Set(REFERENCE_FILE_TYPES.map((t) => t.fileName));
    async function walk(d: string, depth: number) {
      const entries = await readdir(d, { withFileTypes: true });
      for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const p = join(d, e.name);
        if (e.isDirectory() && depth < 4 && !e.name.startsWith('.')) await walk(p, depth + 1);
        else if (e.isFile() && wanted.has(e.name) && !found.has(e.name)) found.set(e.name, p);
      }
    }
    await walk(dir, 0);
    const reports: ImportReport[] = [];
    for (const t of REFERENCE_FILE_TYPES) {
      const path = found.get(t.fileName);
      if (path) reports.push(await importFile(t.kind, path));
    }
    return reports;
  }

  /** Wards of a 2025 province, by name; `q` matches part of the name with or without diacritics. */
  async function listWards(opts: { provinceCode: string; q?: string | undefined; limit?: number }): Promise<WardView[]> {
    let query = db.kysely
      .selectFrom('ref_wards')
      .select(['code', 'name', 'type', 'province_code'])
      .where('province_code', '=', opts.provinceCode);
    const q = foldVietnamese(opts.q ?? '');
    if (q) query = query.where('search_text', 'like', likeContains(q));
    const rows = await query.orderBy('name').orderBy('code').limit(opts.limit ?? 500).execute();
    return rows.map((r) => ({ code: r.code, name: r.name, type: r.type as WardView['type'], provinceCode: r.province_code }));
  }

  async function findHsCode(code: string): Promise<HsCodeView | undefined> {
    const r = await db.kysely.selectFrom('ref_hs_codes').selectAll().where('code', '=', code.replace(/[.\s]/g, '')).executeTakeFirst();
    return r ? toHsView(r) : undefined;
  }

  async function getHsCode(code: string): Promise<HsCodeView> {
    const r = await findHsCode(code);
    if (!r) throw notFound(`HS code ${code}`);
    return r;
  }

  /**
   * HS codes by code prefix ("8471", "2402.20.90") or by words in either language, diacritics
   * optional ("thuoc la" finds "thuốc lá"); every word must occur. Shorter codes first.
   */
  async function searchHs(opts: { q: string; limit?: number }): Promise<HsCodeView[]> {
    const limit = opts.limit ?? 50;
    const digits = opts.q.replace(/[.\s]/g, '');
    let query = db.kysely.selectFrom('ref_hs_codes').selectAll();
    if (/^\d+$/.test(digits)) {
      query = query.where('code', 'like', `${digits}%`);
    } else {
      const words = foldVietnamese(opts.q).split(' ').filter(Boolean);
      if (words.length === 0) return [];
      for (const w of words) query = query.where('search_text', 'like', likeContains(w));
    }
    const rows = await query.orderBy((eb) => eb.fn('length', ['code'])).orderBy('code').limit(limit).execute();
    return rows.map(toHsView);
  }

  async function listBorderGates(opts: { provinceCode?: string | undefined } = {}): Promise<BorderGateView[]> {
    let query = db.kysely.selectFrom('ref_border_gates').selectAll();
    if (opts.provinceCode) query = query.where('province_code', '=', opts.provinceCode);
    const rows = await query.orderBy('province_code').orderBy('name').execute();
    return rows.map((r) => ({
      code: r.code,
      name: r.name,
      level: r.level as BorderGateView['level'],
      neighborCountry: r.neighbor_country,
      counterpartGate: r.counterpart_gate,
      counterpartProvince: r.counterpart_province,
      provinceCode: r.province_code,
      latitude: r.latitude,
      longitude: r.longitude,
    }));
  }

  async function listPorts(opts: { kind?: 'seaport' | 'airport' | undefined; provinceCode?: string | undefined } = {}): Promise<PortView[]> {
    let query = db.kysely.selectFrom('ref_ports').selectAll();
    if (opts.kind) query = query.where('kind', '=', opts.kind);
    if (opts.provinceCode) query = query.where('province_code', '=', opts.provinceCode);
    const rows = await query.orderBy('kind').orderBy('name').execute();
    return rows.map((r) => ({
      code: r.code,
      kind: r.kind as PortView['kind'],
      name: r.name,
      city: r.city,
      provinceCode: r.province_code,
      latitude: r.latitude,
      longitude: r.longitude,
      iataCode: r.iata_code,
    }));
  }

  async function listCountries(): Promise<CountryView[]> {
    const rows = await db.kysely.selectFrom('ref_countries').selectAll().orderBy('name_en').execute();
    return rows.map((r) => ({ alpha2: r.alpha2, alpha3: r.alpha3, numeric: r.numeric_code, nameEn: r.name_en, nameVi: r.name_vi }));
  }

  /** The 2025 provinces as one GeoJSON FeatureCollection (only those whose outline was imported). */
  async function getProvinceShapes(): Promise<ProvinceShapes> {
    const rows = await db.kysely.selectFrom('ref_province_shapes').selectAll().where('geometry', 'is not', null).execute();
    const byCode = new Map(rows.map((r) => [r.province_code, r]));
    const features: ProvinceShapes['features'] = [];
    for (const p of PROVINCES) {
      const r = byCode.get(p.code);
      if (!r?.geometry) continue;
      const geometry = (typeof r.geometry === 'string' ? JSON.parse(r.geometry) : r.geometry) as ProvinceShapes['features'][number]['geometry'];
      features.push({
        type: 'Feature',
        properties: {
          code: p.code,
          name: p.name,
          nameEn: p.nameEn,
          labelPoint: r.label_lon !== null && r.label_lat !== null ? [r.label_lon, r.label_lat] : null,
        },
        geometry,
      });
    }
    return { type: 'FeatureCollection', features };
  }

  /** Import history, newest first. */
  async function listImports(opts: { limit?: number } = {}): Promise<ReferenceImportView[]> {
    const rows = await db.kysely.selectFrom('ref_imports').selectAll().orderBy('created_at', 'desc').orderBy('finished_at', 'desc').limit(opts.limit ?? 100).execute();
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      fileName: r.file_name,
      sha256: r.sha256,
      rowsImported: r.rows_imported,
      rowsRejected: r.rows_rejected,
      problems: (typeof r.problems === 'string' ? JSON.parse(r.problems) : r.problems) as ImportProblem[],
      startedAt: new Date(r.started_at).toISOString(),
      finishedAt: new Date(r.finished_at).toISOString(),
    }));
  }

  /** Row counts per reference table: what the admin screen shows before and after an import. */
  async function counts(): Promise<Record<string, number>> {
    const tables = ['ref_wards', 'ref_wards_pre2025', 'ref_ward_crosswalk', 'ref_hs_codes', 'ref_province_shapes', 'ref_border_gates', 'ref_ports', 'ref_countries'] as const;
    const out: Record<string, number> = {};
    for (const t of tables) {
      const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`);
      out[t] = r[0]?.n ?? 0;
    }
    return out;
  }

  return { importFile, importDirectory, listWards, findHsCode, getHsCode, searchHs, listBorderGates, listPorts, listCountries, getProvinceShapes, listImports, counts };
}
