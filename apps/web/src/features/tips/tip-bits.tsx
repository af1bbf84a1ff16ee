import type { TipStatus, TipSummary } from '../../contracts.js';
import { useT } from '../../i18n/i18n.js';

/** The lists the screens offer (the zod-free contracts entry does not carry the tip enums). */
export const TIP_STATUS_LIST = ['new', 'acknowledged', 'in_progress', 'converted', 'closed'] as const satisfies readonly TipStatus[];
export const TIP_CHANNEL_LIST = ['web', 'email', 'hotline'] as const satisfies readonly TipSummary['channel'][];
export const TIP_CLOSE_REASON_LIST = ['duplicate', 'no_grounds', 'insufficient_information', 'outside_remit', 'other'] as const;
/** Who may work the tip queue (the server's TIP_TRIAGE_ROLES). */
export const TIP_TRIAGE_ROLES = ['tip_triage', 'provincial_coordinator', 'admin'] as const;
/** Who works the tips routed to their unit, without triage's powers (the server's TIP_ASSIGNEE_ROLES). */
export const TIP_WORKER_ROLES = [...TIP_TRIAGE_ROLES, 'officer', 'analyst'] as const;
export const isTipTriage = (roles: readonly string[]) => roles.some((r) => (TIP_TRIAGE_ROLES as readonly string[]).includes(r));

export function TipStatusBadge({ status }: { status: TipStatus }) {
  const t = useT();
  return <span className={`tip-status tip-status-${status}`}>{t(`tipStatus.${status}`)}</span>;
}

/** Overdue, possible duplicates and "being handled by": the markers a queue row and a tip page share. */
export function TipMarkers({ tip, onDuplicates }: { tip: TipSummary; onDuplicates?: () => void }) {
  const t = useT();
  return (
    <span className="tip-markers">
      {tip.overdue && <span className="tip-marker tip-marker-overdue">{t('tips.overdue')}</span>}
      {tip.duplicates > 0 &&
        (onDuplicates ? (
          <button type="button" className="tip-marker tip-marker-dup" onClick={onDuplicates} title={t('tips.showGroup')}>
            {t('tips.duplicates', { n: tip.duplicates })}
          </button>
        ) : (
          <span className="tip-marker tip-marker-dup">{t('tips.duplicates', { n: tip.duplicates })}</span>
        ))}
      {tip.claimedBy && ['new', 'acknowledged', 'in_progress'].includes(tip.status) && <span className="tip-marker tip-marker-claimed">{t('tips.claimedBy', { user: tip.claimedByName ?? tip.claimedBy })}</span>}
    </span>
  );
}
