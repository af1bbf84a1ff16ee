import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a code read over the phone is not mistaken. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(n: number): string {
  const bytes = randomBytes(n);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return out;
}

/** TB-XXXX-XXXX: 40 random bits; the database's unique index settles the rare collision (retry). */
export function newReceipt(): string {
  const s = base32(8);
  return `TB-${s.slice(0, 4)}-${s.slice(4)}`;
}

/** 24 characters, 120 random bits, in groups of four. Cordon keeps only its SHA-256. */
export function newSecret(): string {
  return base32(24).match(/.{4}/g)!.join('-');
}

/** What the reporter types back, tolerant of case, spaces, dashes and the look-alikes Crockford allows. */
export function normaliseSecret(s: string): string {
  return s.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
}

/**
 * SHA-256 rather than argon2: the secret has 120 random bits, so a slow hash adds nothing against
 * guessing, and costs time on every submission under load.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(normaliseSecret(secret)).digest('hex');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Accepts receipts typed with or without dashes: TB7K3M9QXF → TB-7K3M-9QXF. */
export function normaliseReceipt(s: string): string {
  const bare = s.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  const m = /^TB([0-9A-Z]{4})([0-9A-Z]{4})$/.exec(bare);
  return m ? `TB-${m[1]}-${m[2]}` : s.toUpperCase();
}
