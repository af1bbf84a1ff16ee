import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { baseEn } from './base-en.js';
import { baseVi } from './base-vi.js';
import { vi } from './vi.js';

const src = new URL('..', import.meta.url);
/** The files the public pages are built from (see features/public/public-app.tsx). */
const PUBLIC_FILES = [
  ...readdirSync(new URL('features/public/', src)).filter((f) => f.endsWith('.tsx')).map((f) => `features/public/${f}`),
  'components/form.tsx',
];

describe('the public pages\' dictionary', () => {
  const texts = PUBLIC_FILES.map((f) => readFileSync(new URL(f, src), 'utf8'));

  it('has every key the public pages ask for, in Vietnamese and English', () => {
    const keys = new Set(texts.flatMap((t) => [...t.matchAll(/\bt\('([a-zA-Z0-9_.]+)'/g)].map((m) => m[1]!)));
    expect(keys.size).toBeGreaterThan(50);
    const missing = [...keys].filter((k) => !(k in baseVi) || !(k in baseEn));
    expect(missing).toEqual([]);
  });

  it('holds the whole of each family the public pages build keys for at run time', () => {
    const prefixes = new Set(texts.flatMap((t) => [...t.matchAll(/\bt\(`([a-zA-Z0-9_.]+)\.\$\{/g)].map((m) => m[1]!)));
    expect(prefixes.size).toBeGreaterThan(0);
    for (const prefix of prefixes) {
      const all = Object.keys(vi).filter((k) => k.startsWith(`${prefix}.`));
      expect(all.filter((k) => !(k in baseVi)), prefix).toEqual([]);
    }
    // `${key}.limit` in form.tsx: the reason.* family
    expect(Object.keys(vi).filter((k) => k.startsWith('reason.') && !(k in baseVi))).toEqual([]);
  });

  it('is the same text the staff app shows', () => {
    for (const [k, v] of Object.entries(baseVi)) expect(vi[k as keyof typeof vi]).toBe(v);
  });
});
