import { foldVietnamese } from '../text.js';
import { parseCsv, type Fields, type ParseResult, type TextSource } from './source.js';

/**
 * One code of the HS nomenclature as Viet Nam uses it: chapters (2 digits), headings (4), HS
 * subheadings (6) and the national 8-digit tariff lines of the AHTN-based Vietnamese nomenclature.
 */
export interface HsCodeRow {
  code: string;
  level: HsLevel;
  /** Code of the level above (a heading's chapter, a tariff line's subheading or heading); null for chapters. */
  parent: string | null;
  /** Description; for subheadings and tariff lines, prefixed by the unnumbered groups above them
   * ("Ngựa — Loại thuần chủng để nhân giống"), since "Loại khác" alone says nothing. */
  nameVi: string;
  nameEn: string;
  /** Folded words a search should find it by: code, names, and for tariff lines the heading's name. */
  searchText: string;
}

export type HsLevel = 'chapter' | 'heading' | 'subheading' | 'tariff_line';

export const HS_LEVEL_OF_LENGTH: Readonly<Record<number, HsLevel>> = { 2: 'chapter', 4: 'heading', 6: 'subheading', 8: 'tariff_line' };

/** One of the two names may be missing in the sources (chapter 98 has no English): use the other. */
function names(f: Fields, vi: string, en: string): [string, string] {
  const nameVi = f.raw(vi);
  const nameEn = f.raw(en);
  if (!nameVi && !nameEn) f.problem(vi, `both ${vi} and ${en} are empty`);
  return [nameVi || nameEn, nameEn || nameVi];
}

function searchTextOf(...parts: string[]): string {
  return foldVietnamese(parts.filter(Boolean).join(' '));
}

/** `hs_chapters_vi_en.csv`: chapter,section,name_vi,name_en */
export function parseHsChapters(source: TextSource): Promise<ParseResult<HsCodeRow>> {
  return parseCsv(source, {
    columns: ['chapter', 'name_vi', 'name_en'],
    keyField: 'chapter',
    key: (r) => r.code,
    row: (f) => {
      const code = f.code('chapter', /^\d{2}$/, '2 digits');
      const [nameVi, nameEn] = names(f, 'name_vi', 'name_en');
      return { code, level: 'chapter', parent: null, nameVi, nameEn, searchText: searchTextOf(code, nameVi, nameEn) };
    },
  });
}

/** `hs_headings_vi_en.csv`: heading,chapter,description_vi,description_en_vn_tariff,description_en_un_comtrade,… */
export function parseHsHeadings(source: TextSource): Promise<ParseResult<HsCodeRow>> {
  return parseCsv(source, {
    columns: ['heading', 'chapter', 'description_vi', 'description_en_vn_tariff'],
    keyField: 'heading',
    key: (r) => r.code,
    row: (f) => {
      const code = f.code('heading', /^\d{4}$/, '4 digits');
      const chapter = f.code('chapter', /^\d{2}$/, '2 digits');
      if (f.ok && !code.startsWith(chapter)) f.problem('chapter', `heading ${code} is not in chapter ${chapter}`);
      // The tariff's English is the wording Vietnamese officers see; UN Comtrade's is the fallback.
      const en = f.raw('description_en_vn_tariff') ? 'description_en_vn_tariff' : 'description_en_un_comtrade';
      const [nameVi, nameEn] = names(f, 'description_vi', en);
      return { code, level: 'heading', parent: chapter, nameVi, nameEn, searchText: searchTextOf(code, nameVi, nameEn) };
    },
  });
}

/** "- - Loại khác:" → "Loại khác" */
function clean(description: string): string {
  return description.replace(/^[\s\-–—]+/, '').replace(/[\s:]+$/, '');
}

interface Frame {
  code: string;
  vi: string;
  en: string;
}

/**
 * `vn_tariff_nomenclature_bilingual.csv`: seq,indent_level,hs_code,description_vi,description_en — the
 * Vietnamese nomenclature in reading order, where unnumbered rows ("- Ngựa:") group the coded rows
 * indented below them. Codes of 4, 6 and 8 digits are kept; a repeated code keeps its first row.
 */
export function parseVnTariff(source: TextSource): Promise<ParseResult<HsCodeRow>> {
  // Frames by indent level: what the rows below are nested in.
  const stack: Frame[] = [];
  return parseCsv<HsCodeRow>(source, {
    columns: ['indent_level', 'hs_code', 'description_vi', 'description_en'],
    keyField: 'hs_code',
    key: (r) => r.code,
    row: (f) => {
      const indent = f.integer('indent_level', { min: 0 });
      const code = f.raw('hs_code');
      const [vi, en] = names(f, 'description_vi', 'description_en');
      if (indent === null) return undefined;
      stack.length = indent;
      stack[indent] = { code, vi: clean(vi), en: clean(en) };
      if (!code) return undefined; // a group label: context for the rows below, not a code
      const level = /^\d+$/.test(code) ? HS_LEVEL_OF_LENGTH[code.length] : undefined;
      if (!level || level === 'chapter') {
        f.problem('hs_code', `expected 4, 6 or 8 digits, got "${code}"`);
        return undefined;
      }
      const above = stack.slice(0, indent).filter((s): s is Frame => s !== undefined);
      const heading = above.find((s) => s.code.length === 4 && code.startsWith(s.code));
      const coded = above.filter((s) => s.code && s.code.length < code.length && code.startsWith(s.code)).at(-1);
      const parent = level === 'heading' ? code.slice(0, 2) : (coded?.code ?? code.slice(0, 4));
      // The groups between the heading and this row give it its meaning.
      const groups = level === 'heading' ? [] : above.filter((s) => s !== heading);
      const own = stack[indent]!;
      const nameVi = [...groups.map((g) => g.vi), own.vi].join(' — ');
      const nameEn = [...groups.map((g) => g.en), own.en].join(' — ');
      return { code, level, parent, nameVi, nameEn, searchText: searchTextOf(code, heading?.vi ?? '', nameVi, nameEn) };
    },
  });
}
