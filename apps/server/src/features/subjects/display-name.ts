/**
 * One rule for the name a subject is shown under, wherever it is shown (search list, subject page,
 * network nodes, groups' key players, a company's directors, a watch's label, the stored
 * `subjects.display_name`): the spelling most of its records agree on, written the best way.
 *
 * 1. Records are counted by spelling *without* diacritics and case ("PHAM THANH CHI" and "Phạm Thanh
 *    Chi" are one spelling): the spelling most records give wins (ties: see 2).
 * 2. Among the ways that spelling (or a tie) is written: with diacritics first, then with lower-case
 *    letters (proper case rather than capitals), then the most frequent, then the fuller name (more
 *    words: "Nguyễn Văn Hùng" before "Hùng Nguyễn"), then code-point order (so the same records
 *    always give the same name).
 *
 * `displayNameSql` is the same rule in SQL for `refreshSubjects` (`m.fold_name` is `foldVietnamese`
 * of the record's name, stored by the sync); the two must stay in step (tested together).
 */
import { foldVietnamese } from '@cordon/reference';
import { sql, type RawBuilder } from '@cordon/db';

/** Written with diacritics (any letter outside ASCII: ạ, ơ, đ…). */
const accented = (name: string) => [...name].some((c) => c.codePointAt(0)! > 0x7f);
/** Written with some lower-case letters (proper case), not all capitals. */
const lowerCase = (name: string) => /[a-z]/.test(name);

/** The display name of a subject from its records' names (one entry per record); '' when none. */
export function displayName(names: readonly string[]): string {
  const perName = new Map<string, number>();
  for (const n of names) perName.set(n, (perName.get(n) ?? 0) + 1);
  const perFold = new Map<string, number>();
  const foldOf = new Map<string, string>();
  for (const [n, c] of perName) {
    const f = foldVietnamese(n);
    foldOf.set(n, f);
    perFold.set(f, (perFold.get(f) ?? 0) + c);
  }
  let best: string | undefined;
  let bestRank: number[] = [];
  for (const [n, c] of perName) {
    const fold = foldOf.get(n)!;
    const rank = [perFold.get(fold)!, accented(n) ? 1 : 0, lowerCase(n) ? 1 : 0, c, fold.split(' ').length];
    if (best === undefined || better(rank, n, bestRank, best)) [best, bestRank] = [n, rank];
  }
  return best ?? '';
}

function better(rank: number[], name: string, than: number[], thanName: string) {
  for (let i = 0; i < rank.length; i++) if (rank[i] !== than[i]) return rank[i]! > than[i]!;
  return codePointLess(name, thanName);
}

/** Code-point order (PostgreSQL's `COLLATE "C"` on UTF-8), not UTF-16 unit order. */
function codePointLess(a: string, b: string) {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]!.codePointAt(0)! < y[i]!.codePointAt(0)!;
  }
  return x.length < y.length;
}

/**
 * The same rule as a scalar subquery over one subject's members (`subjectId`: the subject id, e.g.
 * `sql.ref('i.id')`), for UPDATE statements; NULL when the subject has no members.
 */
export const displayNameSql = (subjectId: RawBuilder<unknown> | ReturnType<typeof sql.ref>) => sql<string | null>`(
  SELECT cs.name FROM subject_members m JOIN case_subjects cs ON cs.id = m.case_subject_id
  WHERE m.subject_id = ${subjectId}
  GROUP BY cs.name, m.fold_name
  ORDER BY sum(count(*)) OVER (PARTITION BY m.fold_name) DESC,
    (cs.name ~ '[^\\x01-\\x7f]') DESC, (cs.name ~ '[a-z]') DESC, count(*) DESC,
    length(m.fold_name) - length(replace(m.fold_name, ' ', '')) DESC, cs.name COLLATE "C"
  LIMIT 1)`;
