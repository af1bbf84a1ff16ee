/**
 * Identifier keys named in free text (a tip's description), in the form of `cases.subject_keys`
 * ("PHONE:0912345678", "PLATE:29A12345", "ID:001089012345", "TAX:0101234567", "IMO:9074729"), so a
 * watch on an identifier matches a tip that mentions it however it was typed.
 *
 * Numbers are read as runs of digit groups separated by one space, dot or hyphen ("0912 345 678",
 * "+84 912.345.678", "0101234567-001"); the longest window of groups that reads as an identifier wins:
 * - a phone: 10 digits starting 0 + a mobile prefix (03, 05, 07, 08, 09), 11 digits starting 02
 *   (landline), or the same after +84 / 84;
 * - a tax code: 10 or 13 digits (a branch's "-001"); a 10-digit number with a mobile prefix is read as a
 *   phone unless "MST" / "mã số thuế" / "tax" stands just before it;
 * - a CCCD (12 digits) or CMND (9 digits), written as one group.
 * Plates: "29A-123.45", "51F 12345", "29LD-12345", "30E-1234". Vessels: "IMO 9074729" (check digit
 * checked: a mistyped IMO number names no ship).
 */
import { identifierKey, isValidImo } from './identifiers.js';

const MOBILE = /^0[35789]\d{8}$/;
const LANDLINE = /^02\d{9}$/;
const TAX_CONTEXT = /(?:\bmst|m[ãa] s[ốo] thu[ếe]|tax(?: code| id)?)\s*[:.]?\s*$/i;

function phoneOf(digits: string, plus: boolean): string | undefined {
  const local = digits.startsWith('84') && digits.length === 11 ? '0' + digits.slice(2) : digits;
  if (plus && local === digits) return undefined; // "+0912…" is no number
  return MOBILE.test(local) || LANDLINE.test(local) ? local : undefined;
}

/** The identifier keys in `text`, sorted and without repeats. */
export function identifierKeysInText(text: string): string[] {
  const keys = new Set<string>();
  const add = (key: string | undefined) => key && keys.add(key);
  const upper = text.normalize('NFC').toUpperCase();

  for (const m of upper.matchAll(/(?<![A-Z0-9])(\d{2}[A-Z]{1,2}\d?)[ \-.]?(\d{3}[ .]?\d{2}|\d{4,5})(?![A-Z0-9])/g)) add(identifierKey('PLATE', m[0]));
  for (const m of upper.matchAll(/\bIMO[\s:.-]*(\d{7})(?!\d)/g)) if (isValidImo(m[1]!)) add(identifierKey('IMO', m[1]!));

  for (const run of text.matchAll(/(\+?)(\d+(?:[ .-]\d+)*)/g)) {
    const plus = run[1] === '+';
    const before = text.slice(Math.max(0, run.index - 20), run.index);
    // skip numbers that are part of a plate or a word ("29A-123.45", "IMO9074729")
    if (run.index > 0 && /[\p{L}]/u.test(text[run.index - 1]!)) continue;
    const parts = run[2]!.split(/([ .-])/);
    const groups: string[] = [];
    const seps: string[] = [];
    for (let i = 0; i < parts.length; i++) (i % 2 ? seps : groups).push(parts[i]!);
    const used = new Array<boolean>(groups.length).fill(false);
    const taxContext = TAX_CONTEXT.test(before);
    for (let len = Math.min(groups.length, 5); len >= 1; len--) {
      for (let i = 0; i + len <= groups.length; i++) {
        if (used.slice(i, i + len).some(Boolean)) continue;
        const d = groups.slice(i, i + len).join('');
        const first = i === 0;
        let found: string | undefined;
        const phone = phoneOf(d, plus && first);
        const branchTax = len === 2 && seps[i] === '-' && groups[i]!.length === 10 && groups[i + 1]!.length === 3;
        if ((len === 1 || branchTax) && (d.length === 10 || d.length === 13) && (taxContext && first || !phone)) found = identifierKey('TAX', d);
        else if (phone) found = identifierKey('PHONE', phone);
        else if (len === 1 && (d.length === 12 || d.length === 9)) found = identifierKey('ID', d);
        if (found) {
          add(found);
          used.fill(true, i, i + len);
        }
      }
    }
  }
  return [...keys].sort();
}
