import type { CustodyEventKind, CustodyState } from '../../contracts.js';
import type { Translate } from '../../i18n/i18n.js';

export const stateName = (t: Translate, s: CustodyState) => t(`custodyState.${s}`);
export const eventName = (t: Translate, k: CustodyEventKind) => t(`custodyEvent.${k}`);

const FINAL: readonly CustodyState[] = ['auctioned', 'destroyed', 'released'];

export function StateBadge({ t, state }: { t: Translate; state: CustodyState }) {
  const tone = FINAL.includes(state) ? 'final' : state === 'held' ? 'held' : 'moving';
  return <span className={`custody-state custody-state-${tone}`}>{stateName(t, state)}</span>;
}

/** The overdue flag: words, not only a colour. */
export function OverdueFlag({ t, overdue }: { t: Translate; overdue: boolean }) {
  if (!overdue) return null;
  return <span className="custody-overdue">{t('custody.overdue')}</span>;
}

/** The address a label's QR code carries: the item page of this installation. */
export function itemUrl(id: string): string {
  return `${window.location.origin}/custody/items/${id}`;
}
