import { useId, useState, type ReactNode } from 'react';
import { LOCALES, type Locale, type Meta, type OrgUnitKind, type Role } from '../contracts.js';
import { useLocale, useT, type Translate } from '../i18n/i18n.js';
import { useSession } from '../session/session.js';

export function roleName(t: Translate, role: Role): string {
  return t(`role.${role}`);
}

export function kindName(t: Translate, kind: OrgUnitKind): string {
  return t(`kind.${kind}`);
}

/** The unit's name in the language being shown. */
export function unitName(unit: { nameVi: string; nameEn: string }, locale: Locale): string {
  return locale === 'vi' ? unit.nameVi : unit.nameEn;
}

/** Language choice: two buttons, the current one pressed. Each language is named in itself. */
export function LanguageSwitch({ className }: { className?: string }) {
  const t = useT();
  const locale = useLocale();
  const { setLocale } = useSession();
  const [failed, setFailed] = useState(false);
  return (
    <div className={`lang-switch ${className ?? ''}`} role="group" aria-label={t('lang.label')}>
      {LOCALES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={locale === l}
          onClick={() => {
            setFailed(false);
            setLocale(l).catch(() => setFailed(true));
          }}
        >
          {l === 'vi' ? 'Tiếng Việt' : 'English'}
        </button>
      ))}
      {failed && (
        <span className="field-error" role="alert">
          {t('lang.saveFailed')}
        </span>
      )}
    </div>
  );
}

export function DemoBanner({ meta }: { meta: Meta | null }) {
  const t = useT();
  if (!meta?.demoMode) return null;
  return (
    <div className="demo-banner" role="note">
      <strong>{t('demo.title')}</strong> {t('demo.text')}{' '}
      {meta.demoAccounts.length > 0 && (
        <>
          {t('demo.accounts')}{' '}
          {meta.demoAccounts.map((a, i) => (
            <span key={a.username}>
              {i > 0 && ', '}
              <code>{a.username}</code>
            </span>
          ))}
          . {t('demo.password')} <code>cordon-demo</code>
        </>
      )}
    </div>
  );
}

/** The "load more" button under a keyset-paged list (useCursorPages); nothing when there is no next page. */
export function LoadMore({ nextCursor, loadingMore, loadMore }: { nextCursor: string | null; loadingMore: boolean; loadMore: () => Promise<void> }) {
  const t = useT();
  if (!nextCursor) return null;
  return (
    <button type="button" className="btn load-more" onClick={() => void loadMore()} disabled={loadingMore}>
      {loadingMore ? t('common.loading') : t('common.loadMore')}
    </button>
  );
}

export function Loading() {
  const t = useT();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="page-header">
      <h1 id="page-title" tabIndex={-1}>
        {title}
      </h1>
      {children}
    </div>
  );
}

/** A button that copies text, with a visible confirmation (and a hidden one for screen readers). */
export function CopyButton({ text }: { text: string }) {
  const t = useT();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const statusId = useId();
  return (
    <>
      <button
        type="button"
        className="btn"
        aria-describedby={statusId}
        onClick={() => {
          navigator.clipboard.writeText(text).then(
            () => setState('copied'),
            () => setState('failed'),
          );
        }}
      >
        {t('common.copy')}
      </button>
      <span id={statusId} role="status" className="small">
        {state === 'copied' ? t('common.copied') : state === 'failed' ? t('common.copyFailed') : ''}
      </span>
    </>
  );
}
