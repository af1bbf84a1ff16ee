import type { OrgUnitView } from '../contracts.js';

/** Lower-case without Vietnamese diacritics, so "ha giang" finds "Hà Giang" and "dak lak" "Đắk Lắk". */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .trim();
}

export interface TreeRow {
  unit: OrgUnitView;
  depth: number;
}

/**
 * Units in tree order (parents before children, siblings by code), each with its depth. A unit whose
 * parent is missing from the list is treated as a root, so a broken link never hides a unit.
 */
export function treeOrder(units: readonly OrgUnitView[]): TreeRow[] {
  const ids = new Set(units.map((u) => u.id));
  const children = new Map<string | null, OrgUnitView[]>();
  for (const u of units) {
    const key = u.parentId && ids.has(u.parentId) ? u.parentId : null;
    const list = children.get(key) ?? [];
    list.push(u);
    children.set(key, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  const out: TreeRow[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const u of children.get(parent) ?? []) {
      if (seen.has(u.id)) continue; // a cycle in bad data must not hang the page
      seen.add(u.id);
      out.push({ unit: u, depth });
      walk(u.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

export interface UnitGroup {
  /** The tree's root: the national office, a force or a provincial committee. */
  root: OrgUnitView;
  /** The root itself first, then its units in tree order (depth counted from the root). */
  rows: TreeRow[];
}

// The standing office first, then the forces, then the provinces (by code, i.e. north to south).
const KIND_ORDER: Record<string, number> = { national_office: 0, force: 1, provincial_committee: 2, unit: 3 };

/**
 * Units grouped by the tree they belong to. Forces and provincial committees are roots of their own
 * trees, so this is "by force / by province" as the committees think of it.
 */
export function groupByRoot(units: readonly OrgUnitView[]): UnitGroup[] {
  const groups: UnitGroup[] = [];
  for (const row of treeOrder(units)) {
    if (row.depth === 0) groups.push({ root: row.unit, rows: [] });
    groups[groups.length - 1]!.rows.push(row);
  }
  return groups.sort((a, b) => (KIND_ORDER[a.root.kind] ?? 9) - (KIND_ORDER[b.root.kind] ?? 9) || a.root.code.localeCompare(b.root.code));
}

/**
 * Whether a unit matches what was typed: every word, without diacritics, in its code, either name or
 * its group's name ("hai quan hai phong" finds Customs' Hải Phòng branch).
 */
export function unitMatches(query: string, unit: OrgUnitView, group: OrgUnitView): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = fold(`${unit.code} ${unit.nameVi} ${unit.nameEn} ${group.nameVi} ${group.nameEn}`);
  return words.every((w) => hay.includes(w));
}
