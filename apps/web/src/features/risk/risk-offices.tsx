import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { OrgUnitView, RiskOfficeImportReport, RiskOfficeList } from '../../contracts.js';
import { api, request } from '../../api/client.js';
import { ClientIssues, ErrorAlert, ErrorSummary } from '../../components/form.js';
import { Loading, unitName } from '../../components/ui.js';
import { UnitPicker } from '../../components/unit-picker.js';
import { FileField } from '../../components/file-field.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { type RiskMappingView, num } from './risk-bits.js';
import { Problems } from './risk-import.js';

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
      {data.canAssign && <OfficesImport mapping={mapping} onDone={setData} />}
    </section>
  );
}

/** Office → unit assignments from a CSV file ("office code,unit code" per line); every bad line listed. */
function OfficesImport({ mapping, onDone }: { mapping: RiskMappingView; onDone: (list: RiskOfficeList) => void }) {
  const t = useT();
  // The file's text, read when it is picked: a file fixed on disk and picked again is read again (the
  // FileField empties its input after each pick so the same name fires a change; a File read after its file changed fails).
  const picked = useRef<Promise<string> | null>(null);
  const [mode, setMode] = useState<'partial' | 'all_or_nothing'>('all_or_nothing');
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<RiskOfficeImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setReport(null);
    if (!picked.current) return setError(new ClientIssues([{ field: 'csv', reason: 'required', message: 'choose a file' }]));
    setBusy(true);
    try {
      const csv = await picked.current;
      const r = await api.post<RiskOfficeImportReport>('/api/risk/offices/import', { mappingId: mapping.id, csv, mode });
      setReport(r);
      onDone(r.offices);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <form className="card risk-offices-import" id="risk-offices-import" onSubmit={(e) => void submit(e)} noValidate>
        <h3>{t('risk.offices.import.title')}</h3>
        <p className="muted small">{t('risk.offices.import.intro')}</p>
        <ErrorSummary error={error} formId="risk-offices-import" labels={{ csv: t('risk.import.file') }} />
        <div className="field">
          <label htmlFor="risk-offices-import-csv">{t('risk.import.file')}</label>
          <FileField
            id="risk-offices-import-csv"
            accept=".csv,.txt,text/csv,text/plain"
            onFiles={(files) => {
              const f = files[0];
              picked.current = f ? f.text() : null;
              picked.current?.catch(() => undefined); // reported on submit
              setReport(null);
            }}
          />
        </div>
        <fieldset className="field">
          <legend>{t('risk.import.mode')}</legend>
          <div className="risk-radios">
            <label className="check">
              <input type="radio" name="risk-offices-mode" checked={mode === 'all_or_nothing'} onChange={() => setMode('all_or_nothing')} /> {t('risk.offices.import.allOrNothing')}
            </label>
            <label className="check">
              <input type="radio" name="risk-offices-mode" checked={mode === 'partial'} onChange={() => setMode('partial')} /> {t('risk.offices.import.partial')}
            </label>
          </div>
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>{t('risk.offices.import.submit')}</button>
        </div>
      </form>
      {report && (
        <div className="card" role="status">
          <p>{t('risk.offices.import.summary', { lines: report.lines, applied: report.applied, changed: report.changed, rejected: report.problems.length })}</p>
          {report.applied === 0 && report.problems.length > 0 && <p className="alert alert-warning">{t('risk.offices.import.nothing')}</p>}
          <Problems problems={report.problems} />
        </div>
      )}
    </>
  );
}
