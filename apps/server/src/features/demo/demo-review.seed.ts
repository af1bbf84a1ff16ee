// Damaged copies of people for the demo's review queue (issue 7). The case generator copies a person's
// identifiers exactly from case to case, so every demo link is an identifier link and the merge
// proposals screen would stay empty. Here a deterministic handful of Customs cases also name a person
// of an earlier Customs case again, as another officer might have typed them: no CCCD, the name without
// diacritics in capitals, given name first, or with a typing slip, but the same phone number and birth
// date. The resolver links each copy by score, and `holdFuzzyLinks` turns the link into a proposal. The
// generated cases have no coordinating units, so only analysts above the recording units see both
// records in full: the demo's `customs.analyst` (Customs headquarters) sees these proposals.
import type { SynthCase, SynthSubject } from '@cordon/engine';

/** Damaged records in the first demo start: the review queue shows about this many proposals. */
export const DEMO_REVIEW_DUPLICATES = 30;

const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');

/** The name as another officer might have typed it; `variant` picks the way (0, 1 or 2). */
export function misspell(name: string, variant: number): string {
  const words = name.trim().split(/\s+/);
  if (variant === 0) return fold(name).toUpperCase(); // "NGUYEN VAN HUNG"
  if (variant === 1 && words.length >= 2) return `${words.at(-1)} ${words[0]}`; // "Hùng Nguyễn"
  // a typing slip in the given name: two neighbouring letters swapped ("Hùgn"), or one doubled
  const given = words.at(-1)!;
  const slip = given.length >= 3 ? given.slice(0, -2) + given.at(-1) + given.at(-2) : given + given.at(-1);
  return [...words.slice(0, -1), slip].join(' ');
}

/**
 * Passes the generated cases through, adding to every fourth case of `force` a damaged copy of a person
 * named in an earlier case of that force (no CCCD, the name written differently, same phone and birth
 * date), up to `limit` copies. Both records sit in the force's cases, so its analysts (the demo's
 * `customs.analyst`) see the proposal. Deterministic: the same cases give the same copies.
 */
export function* withReviewDuplicates(cases: Iterable<SynthCase>, limit: number, force = 'CUSTOMS'): Generator<SynthCase> {
  const earlier: SynthSubject[] = [];
  const used = new Set<string>();
  let seen = 0;
  let added = 0;
  for (const c of cases) {
    if (added >= limit || c.force !== force) {
      yield c;
      continue;
    }
    const subjects = c.body.subjects as SynthSubject[];
    const own = new Set(subjects.flatMap((s) => (s.idNumber ? [s.idNumber] : [])));
    const pick = ++seen % 4 === 0 ? earlier.find((p) => !used.has(p.idNumber!) && !own.has(p.idNumber!)) : undefined;
    for (const s of subjects) if (s.kind === 'person' && s.idNumber && s.phone && s.dateOfBirth && !used.has(s.idNumber)) earlier.push(s);
    if (!pick) {
      yield c;
      continue;
    }
    used.add(pick.idNumber!);
    const copy: SynthSubject = { ...pick, role: 'accomplice', idNumber: null, name: misspell(pick.name, added++ % 3) };
    yield { ...c, body: { ...c.body, subjects: [...subjects, copy] } };
  }
}
