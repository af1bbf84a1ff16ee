import { formatDate, formatVnd, type CaseCollection, type CaseDetail, type CaseStatus, type CaseSummary } from '../../contracts.js';
import { useT } from '../../i18n/i18n.js';
import type { Locale } from '../../contracts.js';
import { named, statusName, type CaseReference } from './reference.js';

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

/**
 * The amounts collected to the budget (newest first, as the server lists them): the day paid, the
 * amount, where it came from, the note and who recorded it. Cards on a phone (`data-label`).
 */
export function CollectionsTable({ collections }: { collections: readonly CaseCollection[] }) {
  const t = useT();
  if (collections.length === 0) return null;
  return (
    <>
      <h3 id="case-collections-title" className="case-collections-title">{t('case.collections')}</h3>
      <div className="table-wrap case-collections">
        <table className="table" aria-labelledby="case-collections-title">
          <thead>
            <tr>
              <th scope="col">{t('case.collections.on')}</th>
              <th scope="col" className="num">
                {t('case.collections.amount')}
              </th>
              <th scope="col">{t('case.collections.source')}</th>
              <th scope="col">{t('case.collections.note')}</th>
              <th scope="col">{t('case.collections.by')}</th>
            </tr>
          </thead>
          <tbody>
            {collections.map((c, i) => (
              <tr key={i}>
                <td className="nowrap" data-label={t('case.collections.on')}>{formatDate(c.collectedOn)}</td>
                <td className="num nowrap" data-label={t('case.collections.amount')}>{formatVnd(c.amountVnd)}</td>
                <td data-label={t('case.collections.source')}>{t(`case.collections.source.${c.source}`)}</td>
                <td data-label={t('case.collections.note')}>{c.note ?? '—'}</td>
                <td data-label={t('case.collections.by')}>{c.byName ?? c.byUsername ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

type StatusChange = NonNullable<CaseDetail['history']>[number];
export type TimelineEntry = { kind: 'status'; change: StatusChange } | { kind: 'collection'; collection: CaseCollection };

/** An instant as Vietnam's wall clock (UTC+7 all year), 'yyyy-MM-ddTHH:mm:ss.sss', which sorts. */
const vietnamWallClock = (instant: string) => new Date(Date.parse(instant) + 7 * 3_600_000).toISOString().slice(0, 23);

/**
 * The case's history with its payments and auction proceeds as lines of their own, oldest first. A
 * payment counts from the day it was paid: at the time it was recorded when recorded that day, else at
 * the end of that day. The decision's own amount is not a line (the "penalized" step is).
 */
export function timelineOf(history: readonly StatusChange[], collections: readonly CaseCollection[]): TimelineEntry[] {
  const keyed: { key: string; entry: TimelineEntry }[] = history.map((change) => ({ key: vietnamWallClock(change.at), entry: { kind: 'status', change } }));
  for (const collection of [...collections].reverse()) {
    if (collection.source === 'decision') continue;
    const recorded = collection.at ? vietnamWallClock(collection.at) : '';
    const key = recorded.startsWith(collection.collectedOn) ? recorded : `${collection.collectedOn}T23:59:59.999`;
    keyed.push({ key, entry: { kind: 'collection', collection } });
  }
  // Array.prototype.sort is stable: equal keys keep status changes first, amounts in their order.
  return keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((k) => k.entry);
}

/** The violation types grouped under their 389 report group, as options: the same order wherever a case is recorded. */
export function ViolationTypeOptions({ ref, locale }: { ref: Pick<CaseReference, 'groups' | 'violationTypes'>; locale: Locale }) {
  return (
    <>
      {ref.groups.map((g) => (
        <optgroup key={g.code} label={named(g, locale)}>
          {ref.violationTypes
            .filter((v) => v.group === g.code)
            .map((v) => (
              <option key={v.code} value={v.code}>
                {named(v, locale)}
              </option>
            ))}
        </optgroup>
      ))}
    </>
  );
}
