import { useCallback, useEffect, useMemo, useState } from 'react';
import type { OrgUnitView, RiskOfficeList } from '../../contracts.js';
import { api, request } from '../../api/client.js';
import { ErrorAlert } from '../../components/form.js';
import { Loading, unitName } from '../../components/ui.js';
import { UnitPicker } from '../../components/unit-picker.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { type RiskMappingView, num } from './risk-bits.js';

/**
 * Offices of a mapping's data and the Customs unit each belongs to: who sees which declarations.
 * A root-level (Customs HQ) user sees every office; a user below it, the offices of their own units.
 */
export function RiskOfficesTab({ mapping }: { mapping: RiskMappingView }) {
  const t = useT();
  const locale = useLocale();
  const [data, setData] = useState<RiskOfficeList | null>(null);
  const [units, setUnits] = useState<OrgUnitView[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(() => {
    api.get<RiskOfficeList>('/api/risk/offices', { mappingId: mapping.id }).then(setData, setError);
  }, [mapping.id]);
  useEffect(load, [load]);
  useEffect(() => {
    if (!data?.canAssign) return;
    api.get<{ items: OrgUnitView[] }>('/api/org-units').then((r) => setUnits(r.items.filter((u) => u.forceCode === 'CUSTOMS')), setError);
  }, [data?.canAssign]);
  const byId = useMemo(() => new Map(units.map((u) => [u.id, u])), [units]);

  async function assign(office: string, unitId: string) {
    setBusy(office);
    setError(null);
    setFlash(null);
    try {
      setData(await request<RiskOfficeList>('PUT', '/api/risk/offices', { mappingId: mapping.id, assignments: [{ office, unitId: unitId || null }] }));
      const u = byId.get(unitId);
      setFlash(u ? t('risk.offices.saved', { office, unit: unitName(u, locale) }) : t('risk.offices.cleared', { office }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  if (!mapping.mapping.office) return <p className="alert alert-info">{t('risk.offices.noColumn')}</p>;
  if (!data) return error ? <ErrorAlert error={error} /> : <Loading />;
  return (
    <section aria-labelledby="risk-offices-title">
      <h2 id="risk-offices-title">{t('risk.offices.title')}</h2>
      <p className="muted">{data.seesAll ? t('risk.offices.seesAll') : t('risk.offices.scoped')}</p>
      <p className="muted small">{t('risk.offices.rule')}</p>
      {flash && <p className="alert alert-success" role="status">{flash}</p>}
      {error !== null && <ErrorAlert error={error} />}
      {data.items.length === 0 ? (
        <p className="alert alert-info">{t('risk.offices.none')}</p>
      ) : (
        <div className="table-wrap risk-table-wrap">
          <table className="table risk-table">
            <thead>
              <tr>
                <th scope="col">{t('risk.offices.office')}</th>
                <th scope="col">{t('risk.offices.declarations')}</th>
                <th scope="col">{t('risk.offices.unit')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((o) => (
                <tr key={o.office}>
                  <th scope="row" data-label={t('risk.offices.office')}>{o.office || '—'}</th>
                  <td data-label={t('risk.offices.declarations')}>{num(o.declarations)}</td>
                  <td data-label={t('risk.offices.unit')}>
                    {data.canAssign && o.office !== '' && units.length > 0 ? (
                      <>
                        <label className="visually-hidden" htmlFor={`risk-office-${o.office}`}>{t('risk.offices.unitOf', { office: o.office })}</label>
                        <UnitPicker
                          id={`risk-office-${o.office}`}
                          units={units}
                          value={o.unit?.id ?? ''}
                          emptyLabel={t('risk.offices.rootOnly')}
                          onChange={(id) => void (busy === null && id !== (o.unit?.id ?? '') && assign(o.office, id))}
                        />
                      </>
                    ) : o.unit ? (
                      `${unitName(o.unit, locale)} (${o.unit.code})`
                    ) : (
                      <span className="muted">{t('risk.offices.rootOnly')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
