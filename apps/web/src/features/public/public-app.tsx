import { useEffect, useState } from 'react';
import { Link, Route, Routes } from 'react-router';
import { LOCALES, type Locale } from '../../contracts.js';
import { DictionaryProvider, useT } from '../../i18n/i18n-core.js';
import { baseVi } from '../../i18n/base-vi.js';
import { baseEn } from '../../i18n/base-en.js';
import { componentsEn, componentsVi } from '../../components/components-i18n.js';
import { LOCALE_KEY, storedLocale, writeStored } from '../../components/stored.js';

/** Only the public pages' strings: not the staff dictionary (see i18n/base-vi.ts). */
const PUBLIC_DICTIONARIES = { vi: { ...baseVi, ...componentsVi }, en: { ...baseEn, ...componentsEn } };
import { TipFormPage } from './tip-form-page.js';
import { TipStatusPage } from './tip-status-page.js';
import './public.css';


function PublicLanguageSwitch({ locale, onChange }: { locale: Locale; onChange: (l: Locale) => void }) {
  const t = useT();
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.label')}>
      {LOCALES.map((l) => (
        <button key={l} type="button" lang={l} aria-pressed={locale === l} onClick={() => onChange(l)}>
          {l === 'vi' ? 'Tiếng Việt' : 'English'}
        </button>
      ))}
    </div>
  );
}

function PublicLayout({ locale, setLocale }: { locale: Locale; setLocale: (l: Locale) => void }) {
  const t = useT();
  return (
    <div className="public-page">
      <a className="skip-link" href="#main">
        {t('shell.skip')}
      </a>
      <header className="public-top">
        <Link to="/report" className="brand">
          Cordon
        </Link>
        <PublicLanguageSwitch locale={locale} onChange={setLocale} />
      </header>
      <main id="main" className="public-main" tabIndex={-1}>
        <Routes>
          <Route path="report" element={<TipFormPage />} />
          <Route path="report/status" element={<TipStatusPage />} />
          <Route
            path="*"
            element={
              <div className="card">
                <h1>{t('public.notFound')}</h1>
                <Link to="/report">{t('public.title')}</Link>
              </div>
            }
          />
        </Routes>
      </main>
      <footer className="public-footer muted small">
        <p>{t('public.footer')}</p>
        <p>
          <Link to="/report">{t('public.navReport')}</Link> · <Link to="/report/status">{t('public.navStatus')}</Link> · <a href="/">{t('public.staffLogin')}</a>
        </p>
      </footer>
    </div>
  );
}

/** /report and /report/status: no session, no staff screens. */
export function PublicApp() {
  const [locale, setLocaleState] = useState<Locale>(storedLocale);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const setLocale = (l: Locale) => {
    setLocaleState(l);
    writeStored(LOCALE_KEY, l); // the same key as the staff app: one choice of language per device
  };
  return (
    <DictionaryProvider locale={locale} dictionaries={PUBLIC_DICTIONARIES}>
      <PublicLayout locale={locale} setLocale={setLocale} />
    </DictionaryProvider>
  );
}
