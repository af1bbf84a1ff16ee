import type { CaseStatus, CaseSummary } from '../../contracts.js';
import { useT } from '../../i18n/i18n.js';
import { statusName } from './reference.js';

/** Closed and dropped are final; penalties and prosecutions are outcomes; the rest is work in progress. */
const TONE: Record<CaseStatus, 'open' | 'work' | 'outcome' | 'final' | 'dropped'> = {
  detected: 'open',
  verifying: 'work',
  handling: 'work',
  penalized: 'outcome',
  transferred: 'outcome',
  prosecuted: 'outcome',
  closed: 'final',
  dropped: 'dropped',
};

/** Small inline icons: emoji fonts are missing on many office machines, SVG always renders. */
export function EyeIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path d="M12 5C6.5 5 2.3 9.2 1 12c1.3 2.8 5.5 7 11 7s9.7-4.2 11-7c-1.3-2.8-5.5-7-11-7zm0 11.5a4.5 4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9zm0-2.5a2 2 0 1 0 0-4 2 2 0 0 0 0 4z" fill="currentColor" />
    </svg>
  );
}

export function LockIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">
      <path d="M6 10V8a6 6 0 1 1 12 0v2h1a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V11a1 1 0 0 1 1-1h1zm2 0h8V8a4 4 0 1 0-8 0v2z" fill="currentColor" />
    </svg>
  );
}

export function StatusBadge({ status }: { status: CaseStatus }) {
  const t = useT();
  return <span className={`case-status case-status-${TONE[status]}`}>{statusName(t, status)}</span>;
}

export function SensitivityBadge({ sensitivity }: { sensitivity: CaseSummary['sensitivity'] }) {
  const t = useT();
  return (
    <span className={`case-sens case-sens-${sensitivity}`}>
      {sensitivity !== 'internal' && <LockIcon />}
      {t(`sensitivity.${sensitivity}`)}
    </span>
  );
}

/**
 * The marks beside a case number: an eye when only the summary may be seen, a lock for restricted
 * and secret cases. The symbols are decoration; the words are there for screen readers and tooltips.
 */
export function AccessMarker({ access, sensitivity }: { access: CaseSummary['access']; sensitivity: CaseSummary['sensitivity'] }) {
  const t = useT();
  return (
    <>
      {access === 'summary' && (
        <span className="case-mark" title={t('cases.summaryOnly')}>
          <EyeIcon />
          <span className="visually-hidden">{t('cases.summaryOnly')}</span>
        </span>
      )}
      {sensitivity !== 'internal' && (
        <span className={`case-mark case-mark-${sensitivity}`} title={t(`sensitivity.${sensitivity}`)}>
          <LockIcon />
          <span className="visually-hidden">{t(`sensitivity.${sensitivity}`)}</span>
        </span>
      )}
    </>
  );
}
