import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client.js';
import { ErrorAlert } from '../../components/form.js';
import { Loading } from '../../components/ui.js';
import { formatDate } from '../../contracts.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { ChannelBadge, ReasonList, type Channel, type RiskDeclarationView, type RiskMappingView, num, scoreText } from './risk-bits.js';

interface Page {
  items: RiskDeclarationView[];
  nextCursor: string | null;
  total: number;
}

/** Declarations with their latest channel and why, riskiest first; score the ones not scored yet. */
export function RiskScoredTab({ mapping, canManage }: { mapping: RiskMappingView; canManage: boolean }) {
  const t = useT();
  const locale = useLocale();
  // Reasons name the mapping's columns: its numeric ones are shown as numbers, like on the declaration page.
  const numeric = useMemo(() => new Set(mapping.mapping.numeric), [mapping]);
  // The filters live in the address (replace, no new history entry): back from a declaration finds them again.
  const [params, setParams] = useSearchParams();
  const channel = (['red', 'yellow', 'green'] as const).find((c) => c === params.get('channel')) ?? '';
  const scored = params.get('scored') === 'no' ? 'no' : params.get('scored') === 'all' ? '' : 'yes';
  const setFilter = (key: 'channel' | 'scored', value: string) => {
    const p = new URLSearchParams(params);
    if (value) p.set(key, value);
    else p.delete(key);
    setParams(p, { replace: true });
  };
  const setChannel = (c: Channel | '') => setFilter('channel', c);
  const setScored = (v: 'yes' | 'no' | '') => setFilter('scored', v === 'yes' ? '' : v === '' ? 'all' : v);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    (cursor?: string) => {
      setError(null);
      api
        .get<Page>('/api/risk/declarations', { mappingId: mapping.id, channel, scored, sort: scored === 'yes' ? 'score' : 'recent', cursor, limit: 50 })
        .then((p) => setPage((prev) => (cursor && prev ? { ...p, items: [...prev.items, ...p.items] } : p)), setError);
    },
    [mapping.id, channel, scored],
  );
  useEffect(() => load(), [load]);

  async function scorePending() {
    setBusy(true);
    setFlash(null);
    setError(null);
    try {
      const r = await api.post<{ counts: { red: number; yellow: number; green: number; random: number }; results: unknown[] }>('/api/risk/score', { mappingId: mapping.id, pending: true, allocate: 'batch' });
      setFlash(t('risk.scored.done', { n: r.results.length, red: r.counts.red, yellow: r.counts.yellow, green: r.counts.green, random: r.counts.random }));
      load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="risk-scored-title">
      <h2 id="risk-scored-title" className="visually-hidden">{t('risk.tab.scored')}</h2>
      <div className="filters">
        <div className="field">
          <label htmlFor="risk-channel">{t('risk.channel')}</label>
          <select id="risk-channel" value={channel} onChange={(e) => setChannel(e.target.value as Channel | '')}>
            <option value="">{t('common.all')}</option>
            {(['red', 'yellow', 'green'] as const).map((c) => (
              <option key={c} value={c}>{t(`risk.channel.${c}`)}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="risk-scored">{t('risk.scored.filter')}</label>
          <select id="risk-scored" value={scored} onChange={(e) => setScored(e.target.value as 'yes' | 'no' | '')}>
            <option value="yes">{t('risk.scored.yes')}</option>
            <option value="no">{t('risk.scored.no')}</option>
            <option value="">{t('common.all')}</option>
          </select>
        </div>
        {canManage && (
          <div className="field">
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void scorePending()}>
              {busy ? t('risk.scored.scoring') : t('risk.scored.scorePending')}
            </button>
          </div>
        )}
      </div>
      <p className="hint">{t('risk.scored.hint')}</p>
      {flash && <p className="alert alert-success" role="status">{flash}</p>}
      <ErrorAlert error={error} />
      {page === null ? (
        error == null && <Loading />
      ) : (
        <>
          <p className="muted">{t('common.count', { n: num(page.total) })}</p>
          <div className="table-wrap risk-table-wrap">
            <table className="table risk-table">
              <caption className="visually-hidden">{t('risk.scored.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('risk.declaration')}</th>
                  <th scope="col">{t('risk.channel')}</th>
                  <th scope="col">{t('risk.score')}</th>
                  <th scope="col">{t('risk.why')}</th>
                  <th scope="col">{t('risk.outcome')}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.length === 0 && (
                  <tr>
                    <td colSpan={5} className="empty">{t('common.none')}</td>
                  </tr>
                )}
                {page.items.map((d) => (
                  <tr key={d.id}>
                    <td data-label={t('risk.declaration')}>
                      <Link to={`/risk/declarations/${d.id}`}>{d.ref}</Link>
                      <div className="muted small">{[d.declaredOn && formatDate(`${d.declaredOn}T12:00:00Z`, locale), d.office].filter(Boolean).join(' · ')}</div>
                    </td>
                    <td data-label={t('risk.channel')}>{d.latestScore ? <ChannelBadge channel={d.latestScore.channel} t={t} /> : <span className="muted">{t('risk.notScored')}</span>}</td>
                    <td data-label={t('risk.score')} className="nowrap">{d.latestScore ? scoreText(d.latestScore.score) : '—'}</td>
                    <td data-label={t('risk.why')}>{d.latestScore ? <ReasonList reasons={d.latestScore.reasons} selectedBy={d.latestScore.selectedBy} t={t} numeric={numeric} /> : '—'}</td>
                    <td data-label={t('risk.outcome')}>{d.outcome ? (d.outcome.found ? t('risk.outcome.found') : t('risk.outcome.notFound')) : <span className="muted">{t('risk.outcome.none')}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {page.nextCursor && (
            <p>
              <button type="button" className="btn" onClick={() => load(page.nextCursor!)}>{t('common.loadMore')}</button>
            </p>
          )}
        </>
      )}
    </section>
  );
}
