/**
 * Identifiers normalised to one form each, so "+84 912 345 678" finds "0912345678" and "29A-123.45"
 * finds "29A12345". Keys carry their kind ("PHONE:0912345678") so a tax code never matches a phone.
 */
export type IdentifierKind = 'ID' | 'TAX' | 'PLATE' | 'PHONE' | 'IMO';

const digits = (s: string) => s.replace(/\D/g, '');

export function normalizePhone(s: string): string {
  const d = digits(s);
  if (d.startsWith('84') && d.length >= 11) return '0' + d.slice(2);
  return d;
}

export function normalizePlate(s: string): string {
  return s.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export function normalizeTaxCode(s: string): string {
  return digits(s);
}

/** An IMO ship number: 7 digits, the last being (7·d1 + 6·d2 + … + 2·d6) mod 10 ("IMO 9074729"). */
export function isValidImo(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 7) return false;
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += (d.charCodeAt(i) - 48) * (7 - i);
  return sum % 10 === d.charCodeAt(6) - 48;
}

/**
 * The IMO number's 7 digits ("IMO 9074729", "imo:9074729" → "9074729"), or undefined when they are not
 * 7 or the check digit fails: a mistyped IMO names no ship, so it is never a linking key (the text
 * stays on the record and is still compared as text).
 */
export function normalizeImo(s: string): string | undefined {
  const d = digits(s);
  return isValidImo(d) ? d : undefined;
}

export function identifierKey(kind: IdentifierKind, raw: string): string | undefined {
  if (kind === 'IMO') {
    const imo = normalizeImo(raw);
    return imo ? `IMO:${imo}` : undefined;
  }
  const v = kind === 'PHONE' ? normalizePhone(raw) : kind === 'PLATE' ? normalizePlate(raw) : digits(raw);
  return v.length >= 3 ? `${kind}:${v}` : undefined;
}

/** Every key an identifier typed in a search box could mean (the user does not say which kind). */
export function candidateKeys(raw: string): string[] {
  const keys = new Set<string>();
  const d = digits(raw);
  if (d.length >= 3 && d.length === raw.replace(/[\s.\-+]/g, '').length) {
    for (const k of ['ID', 'TAX'] as const) keys.add(`${k}:${d}`);
    keys.add(`PHONE:${normalizePhone(raw)}`);
  }
  const plate = normalizePlate(raw);
  if (plate.length >= 5 && /[A-Z]/.test(plate)) keys.add(`PLATE:${plate}`);
  // an IMO number only with a valid check digit (no record holds an invalid one as a key)
  const imo = normalizeImo(raw);
  if (imo && (d.length === raw.replace(/[\s.\-+]/g, '').length || /^IMO/i.test(raw.trim()))) keys.add(`IMO:${imo}`);
  return [...keys];
}

export interface SubjectIdentifiers {
  idNumber?: string | null;
  taxCode?: string | null;
  plate?: string | null;
  imo?: string | null;
  phone?: string | null;
}

export function subjectKeys(s: SubjectIdentifiers): string[] {
  const pairs: [IdentifierKind, string | null | undefined][] = [
    ['ID', s.idNumber], ['TAX', s.taxCode], ['PLATE', s.plate], ['IMO', s.imo], ['PHONE', s.phone],
  ];
  return pairs.flatMap(([k, v]) => (v ? [identifierKey(k, v)].filter((x): x is string => !!x) : []));
}
