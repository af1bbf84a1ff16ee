import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/client.js';
import { ErrorAlert } from '../../components/form.js';
import { Loading } from '../../components/ui.js';
import { useT } from '../../i18n/i18n.js';
import type { RiskDriftView, RiskModelView, RiskTrainJobView } from '../../contracts.js';
import { pct, type RiskMappingView, num, fixed } from './risk-bits.js';
import { formatDate } from '../../contracts.js';

/** A window's day (yyyy-MM-dd) as dd/mm/yyyy, '?' when unknown. */
const day = (d: string | null | undefined) => (d ? formatDate(`${d}T12:00:00Z`) : '?');

/** Models of the mapping with their validation figures, training, promotion, and drift of the active one. */
export function RiskModelsTab({ mapping, canManage }: { mapping: RiskMappingView; canManage: boolean }) {
  const t = useT();
  const [data, setData] = useState<{ items: RiskModelView[]; jobs: RiskTrainJobView[] } | null>(null);
  const [drift, setDrift] = useState<RiskDriftView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // The job this screen started or saw running: when it ends, say so (the button alone changing back is easy to miss).
  const watched = useRef<string | null>(null);
  const load = useCallback(() => {
    api.get<{ items: RiskModelView[]; jobs: RiskTrainJobView[] }>('/api/risk/models', { mappingId: mapping.id }).then((d) => {
      setData(d);
      const ended = d.jobs.find((j) => j.id === watched.current && (j.status === 'succeeded' || j.status === 'failed'));
      if (ended) {
        watched.current = null;
        const model = d.items.find((m) => m.id === ended.modelId);
        if (ended.status === 'succeeded' && model) setFlash(t('risk.models.trained', { v: model.seq }));
        else setFlash(null); // a failure shows in its own warning below
      }
      // A training still running: look again shortly.
      const running = d.jobs.find((j) => j.status === 'queued' || j.status === 'running');
      if (running) {
        watched.current = running.id;
        timer.current = setTimeout(load, 2000);
      }
    }, setError);
    api.get<RiskDriftView>('/api/risk/drift', { mappingId: mapping.id, days: 30 }).then(setDrift, setError);
  }, [mapping.id, t]);
  useEffect(() => {
    load();
    return () => clearTimeout(timer.current);
  }, [load]);

  async function act(fn: () => Promise<unknown>, message: string) {
    setError(null);
    setFlash(null);
    try {
      await fn();
      setFlash(message);
      load();
    } catch (e) {
      setError(e);
    }
  }

  const running = data?.jobs.find((j) => j.status === 'queued' || j.status === 'running');
  const lastFailed = data?.jobs[0]?.status === 'failed' ? data.jobs[0] : undefined;
  return (
    <section aria-labelledby="risk-models-title">
      <h2 id="risk-models-title">{t('risk.models.title')}</h2>
      {canManage && (
        <div className="form-actions">
          <button type="button" className="btn btn-primary" disabled={!!running} onClick={() => void act(async () => { watched.current = (await api.post<RiskTrainJobView>('/api/risk/models/train', { mappingId: mapping.id })).id; }, t('risk.models.trainStarted'))}>
            {running ? t('risk.models.training') : t('risk.models.train')}
          </button>
          <span className="hint">{t('risk.models.trainHint')}</span>
        </div>
      )}
      {flash && <p className="alert alert-success" role="status">{flash}</p>}
      {lastFailed && <p className="alert alert-warning">{t('risk.models.failed')}: {lastFailed.error}</p>}
      <ErrorAlert error={error} />
      {data === null ? (
        error == null && <Loading />
      ) : (
        <div className="table-wrap risk-table-wrap">
          <table className="table risk-table">
            <caption className="visually-hidden">{t('risk.models.title')}</caption>
            <thead>
              <tr>
                <th scope="col" rowSpan={2}>{t('risk.models.version')}</th>
                <th scope="col" rowSpan={2}>{t('common.status')}</th>
                <th scope="col" rowSpan={2}>{t('risk.models.window')}</th>
                {/* One group header over four short ones: four "Precision @n%" headers pushed AUC out of a 1366 px screen. */}
                <th scope="colgroup" colSpan={4} className="risk-col-group">{t('risk.models.precisionGroup')}</th>
                <th scope="col" rowSpan={2}>AUC</th>
              </tr>
              <tr>
                {[1, 2, 5, 10].map((p) => (
                  <th scope="col" key={p} aria-label={t('risk.models.precisionAt', { p })}>@{p}%</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.items.length === 0 && (
                <tr>
                  <td colSpan={8} className="empty">{t('risk.models.none')}</td>
                </tr>
              )}
              {data.items.map((m) => (
                <tr key={m.id} className={m.status === 'retired' ? 'inactive' : undefined}>
                  <td data-label={t('risk.models.version')}>
                    <strong>v{m.seq}</strong>
                    <div className="muted small">{m.trainedBy ?? '—'} · {formatDate(m.createdAt)}</div>
                    <div className="risk-model-actions">
                      {canManage && m.status !== 'active' && (
                        <button type="button" className="btn btn-small btn-primary" aria-label={t('risk.models.promoteV', { v: m.seq })} onClick={() => void act(() => api.post(`/api/risk/models/${m.id}/promote`, { version: m.version }), t('risk.models.promoted', { v: m.seq }))}>
                          {t('risk.models.promote')}
                        </button>
                      )}{' '}
                      {canManage && m.status !== 'retired' && (
                        <button type="button" className="btn btn-small" aria-label={t('risk.models.retireV', { v: m.seq })} onClick={() => void act(() => api.post(`/api/risk/models/${m.id}/retire`, { version: m.version }), t('risk.models.retired', { v: m.seq }))}>
                          {t('risk.models.retire')}
                        </button>
                      )}
                    </div>
                  </td>
                  <td data-label={t('common.status')}>
                    {t(`risk.models.status.${m.status}`)}
                    {m.promotedBy && m.status === 'active' && <div className="muted small">{t('risk.models.promotedBy', { user: m.promotedBy })}</div>}
                  </td>
                  <td data-label={t('risk.models.window')}>
                    <div className="nowrap">{t('risk.models.trainWindow', { from: day(m.trainFrom), to: day(m.trainTo), n: num(m.trainRows) })}</div>
                    <div className="muted small nowrap">{t('risk.models.validWindow', { from: day(m.validFrom), to: day(m.validTo), n: num(m.validRows) })}</div>
                  </td>
                  {[1, 2, 5, 10].map((p) => {
                    const a = m.metrics?.at.find((x) => x.percent === p);
                    return (
                      <td key={p} data-label={t('risk.models.precisionAt', { p })}>
                        {pct(a?.precision)}
                        <div className="muted small">{t('risk.models.recall', { r: pct(a?.recall) })}</div>
                      </td>
                    );
                  })}
                  <td data-label="AUC">{m.metrics?.auc != null ? fixed(m.metrics.auc, 3) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {drift && <DriftPanel drift={drift} />}
    </section>
  );
}

/**
 * How the active model's recent scores compare with its training window. Shown on the Models tab (with
 * the hit rates by channel) and on the dashboard (without them: its own tables have them), where
 * `model` adds a line naming the active model and its validation figures.
 */
export function DriftPanel({ drift, channels = true, model }: { drift: RiskDriftView; channels?: boolean; model?: RiskModelView }) {
  const t = useT();
  const r = drift.recent;
  const at5 = model?.metrics?.at.find((x) => x.percent === 5);
  const state = r.psi === null ? null : r.psi < 0.1 ? 'stable' : r.psi < 0.25 ? 'moving' : 'shifted';
  const hit = (found: number, inspected: number) => (inspected ? pct(found / inspected) : '—');
  return (
    <div className="card risk-drift">
      <h2>{t('risk.drift.title', { days: drift.days })}</h2>
      {model && (
        <p className="muted">
          {t('risk.drift.activeModel', { v: model.seq, from: day(model.trainFrom), to: day(model.trainTo), p5: pct(at5?.precision), auc: model.metrics?.auc != null ? fixed(model.metrics.auc, 3) : '—' })}
        </p>
      )}
      {drift.modelId !== null && r.n === 0 && <p className="muted">{t('risk.drift.noneRecent', { days: drift.days })}</p>}
      {drift.modelId === null ? (
        <p className="muted">{t('risk.drift.noModel')}</p>
      ) : (
        <dl className="risk-figures">
          <div>
            <dt>{t('risk.drift.scored')}</dt>
            <dd>{num(r.n)}</dd>
          </div>
          <div>
            <dt>PSI</dt>
            <dd>{r.psi === null ? '—' : fixed(r.psi, 3)}</dd>
            {state && <dd className="muted small">{t(`risk.drift.${state}`)}</dd>}
          </div>
          <div>
            <dt>{t('risk.drift.meanScore')}</dt>
            <dd>{r.mean === null ? '—' : fixed(r.mean, 3)}</dd>
            <dd className="muted small">{t('risk.drift.reference', { v: drift.reference ? fixed(drift.reference.mean, 3) : '—' })}</dd>
          </div>
          <div>
            <dt>{t('risk.drift.aboveRedCut')}</dt>
            <dd>{pct(r.aboveRedCut)}</dd>
            <dd className="muted small">{t('risk.drift.reference', { v: pct(0.05) })}</dd>
          </div>
          <div>
            <dt>{t('risk.drift.redRate')}</dt>
            <dd>{pct(r.redRate)}</dd>
            <dd className="muted small">{t('risk.drift.randomRate', { v: pct(r.randomRate, 2) })}</dd>
          </div>
        </dl>
      )}
      {channels && drift.channels.length > 0 && (
        <div className="table-wrap risk-table-wrap">
          <table className="table risk-table">
            <caption>{t('risk.drift.hitRates')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('risk.channel')}</th>
                <th scope="col">{t('risk.drift.selectedBy')}</th>
                <th scope="col">{t('risk.drift.scored')}</th>
                <th scope="col">{t('risk.drift.inspected')}</th>
                <th scope="col">{t('risk.drift.hitRate')}</th>
              </tr>
            </thead>
            <tbody>
              {drift.channels.map((c) => (
                <tr key={`${c.channel}-${c.selectedBy}`}>
                  <td data-label={t('risk.channel')}>{t(`risk.channel.${c.channel}`)}</td>
                  <td data-label={t('risk.drift.selectedBy')}>{t(`risk.selectedBy.${c.selectedBy}`)}</td>
                  <td data-label={t('risk.drift.scored')}>{num(c.scored)}</td>
                  <td data-label={t('risk.drift.inspected')}>{num(c.inspected)}</td>
                  <td data-label={t('risk.drift.hitRate')}>{hit(c.found, c.inspected)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
