import type { ReactNode } from 'react';
import type { Locale } from '../contracts.js';
import { DictionaryProvider } from './i18n-core.js';
import { vi } from './vi.js';
import { en } from './en.js';

/** The staff app's translations: the whole dictionary (the public pages use base-vi/base-en only). */
const DICTIONARIES = { vi, en };

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  return (
    <DictionaryProvider locale={locale} dictionaries={DICTIONARIES}>
      {children}
    </DictionaryProvider>
  );
}

export { useLocale, useT, type MessageKey, type Translate, type Vars } from './i18n-core.js';
