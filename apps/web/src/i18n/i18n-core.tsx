import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import type { Locale } from '../contracts.js';
import type { MessageKey } from './vi.js';

/*
 * A hand-written i18n layer (about 40 lines) instead of a library. The point is the types: `vi` is the
 * source dictionary, `MessageKey` is its key union, and `en` is declared as Record<MessageKey, string>,
 * so a key missing from English, a stray extra key, or a typo in t('...') anywhere in the app fails
 * `tsc`. Libraries with runtime lookups only find those at run time, in front of a user; and this
 * costs no bundle weight.
 *
 * This module holds no strings: the staff app's provider (i18n.tsx) brings the whole dictionary, the
 * public pages' provider only base-vi/base-en, so the public chunk stays small.
 */
export type Dictionary = Partial<Record<MessageKey, string>>;
export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

function interpolate(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

interface I18nValue {
  locale: Locale;
  t: Translate;
}

const I18nContext = createContext<I18nValue | null>(null);

/** Translations from the given dictionaries; a key a partial dictionary lacks shows as the key itself. */
export function DictionaryProvider({ locale, dictionaries, children }: { locale: Locale; dictionaries: Record<Locale, Dictionary>; children: ReactNode }) {
  const t = useCallback<Translate>((key, vars) => {
    const m = dictionaries[locale][key];
    return m === undefined ? key : interpolate(m, vars);
  }, [locale, dictionaries]);
  const value = useMemo(() => ({ locale, t }), [locale, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18n(): I18nValue {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useT() outside <I18nProvider>');
  return v;
}

export function useT(): Translate {
  return useI18n().t;
}

export function useLocale(): Locale {
  return useI18n().locale;
}

export { type MessageKey };
