import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id is an ambient const enum, which isolated modules cannot read: its value is 2.
const ARGON2ID = 2;

// argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): ~30 ms here.
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, OPTIONS);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false; // malformed hash: treat as a wrong password, never as a pass
  }
}

// A real hash of a random string: verifying against it for unknown users costs the same time as a
// real check, so response time does not reveal which usernames exist.
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hash(crypto.randomUUID(), OPTIONS);
  return dummy;
}
