import { formatNumber, formatPercent, type Locale, type RiskDeclarationView, type RiskMappingView, type RiskReasons } from '../../contracts.js';
import type { Translate } from '../../i18n/i18n.js';
import { typedVnd } from '../../components/vnd.js';

export type { RiskDeclarationView, RiskMappingView, RiskReasons };
export type Channel = 'red' | 'yellow' | 'green';
/** Who may open the section: the server refuses anyone outside Customs whatever the role. */
export const RISK_ROLES = ['admin', 'risk_analyst', 'officer'] as const;
export const RISK_MANAGE_ROLES = ['admin', 'risk_analyst'] as const;

/**
 * Numbers in the page's language (`<html lang>`, set by the session; every risk component re-renders
 * through `useT` when it changes): 4,8% and 1.098 in Vietnamese, 4.8% and 1,098 in English.
 */
const pageLocale = (): Locale => (document.documentElement.lang === 'en' ? 'en' : 'vi');
export const pct = (x: number | null | undefined, digits = 1) => (x === null || x === undefined || Number.isNaN(x) ? '—' : formatPercent(x, pageLocale(), digits));
export const num = (n: number) => formatNumber(n, pageLocale());
export const fixed = (n: number, digits: number) => formatNumber(n, pageLocale(), digits);
/** A risk score (0 … 1) always with three decimals, so a column of them lines up: 0,770 not 0,77. */
export const scoreText = (n: number) => (pageLocale() === 'vi' ? n.toFixed(3).replace('.', ',') : n.toFixed(3));

/**
 * A declaration's value as shown: a column the mapping lists as numeric in the page's number format
 * (1.234,5 in Vietnamese, up to 4 decimals); anything else (codes: tax codes, HS codes, ids) as typed.
 * The model's reasons name the same columns (the mapping's categorical then numeric), so both use this.
 */
export function columnValue(column: string, value: string, numeric: ReadonlySet<string>): string {
  if (!value) return '—';
  return numeric.has(column) && Number.isFinite(Number(value)) ? fixed(Number(value), 4) : value;
}

/**
 * An amount in dong as an officer types it (25.000.000, 25000000, "25 000 000 ₫"): the whole number, 0 when
 * empty, null when it is not a whole non-negative amount (a minus sign, a decimal part, letters).
 */
export function typedRevenue(typed: string): number | null {
  const n = typedVnd(typed);
  if (n === undefined) return 0;
  return Number.isNaN(n) || n < 0 ? null : n;
}

/** The class of a shown value: one token (a tax code 0101234567-001, an HS code, 1.234,5) never wraps; text does. */
export const valueClass = (shown: string) => (/\s/.test(shown) ? undefined : 'risk-code');

export function ChannelBadge({ channel, t }: { channel: Channel; t: Translate }) {
  return <span className={`risk-channel risk-${channel}`}>{t(`risk.channel.${channel}`)}</span>;
}

/** Why a declaration got its channel, in a sentence or two: the rule, the random share, the columns. */
export function ReasonList({ reasons, selectedBy, t, numeric = new Set() }: { reasons: RiskReasons; selectedBy: string; t: Translate; /** The mapping's numeric columns. */ numeric?: ReadonlySet<string> }) {
  return (
    <ul className="risk-reasons">
      {selectedBy === 'rule' && reasons.forcedBy && <li>{t('risk.reason.forcedBy', { rule: reasons.forcedBy })}</li>}
      {selectedBy === 'random' && <li>{t('risk.reason.random')}</li>}
      {reasons.rules.filter((r) => r !== reasons.forcedBy).map((r) => (
        <li key={`r-${r}`}>{t('risk.reason.rule', { rule: r })}</li>
      ))}
      {reasons.shadowRules.map((r) => (
        <li key={`s-${r}`} className="muted">{t('risk.reason.shadow', { rule: r })}</li>
      ))}
      {reasons.features.map((f) => (
        <li key={`f-${f.column}`}>
          {f.column} = <strong className={valueClass(f.value)}>{columnValue(f.column, f.value, numeric)}</strong> <span className="muted">(+{fixed(f.contribution, 2)})</span>
        </li>
      ))}
    </ul>
  );
}
