import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, upload } from '../../api/client.js';
import { ClientIssues, ErrorSummary, issueText, ErrorAlert } from '../../components/form.js';
import { FileField } from '../../components/file-field.js';
import { useT } from '../../i18n/i18n.js';
import type { RiskImportReport } from '../../contracts.js';
import { num, type RiskMappingView } from './risk-bits.js';

interface Problem {
  line: number;
  field: string;
  reason: string;
  message: string;
}

export function Problems({ problems }: { problems: Problem[] }) {
  const t = useT();
  if (!problems.length) return null;
  return (
    <div className="table-wrap risk-table-wrap">
      <table className="table risk-table">
        <caption className="visually-hidden">{t('risk.import.problems')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('risk.import.line')}</th>
            <th scope="col">{t('risk.import.column')}</th>
            <th scope="col">{t('risk.import.problem')}</th>
          </tr>
        </thead>
        <tbody>
          {problems.slice(0, 200).map((p, i) => (
            <tr key={i}>
              <td data-label={t('risk.import.line')}>{p.line}</td>
              <td data-label={t('risk.import.column')}>{p.field || '—'}</td>
              <td data-label={t('risk.import.problem')}>
                {issueText(t, { field: p.field, reason: p.reason, message: p.message })} <span className="muted small">{p.message}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Import declarations (with outcomes when the file has the label column) and enter outcomes in bulk. */
export function RiskImportTab({ mapping, onImported }: { mapping: RiskMappingView; onImported: () => void }) {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<'partial' | 'all_or_nothing'>('partial');
  const [progress, setProgress] = useState<number | null>(null);
  const [report, setReport] = useState<RiskImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setReport(null);
    if (!file) return setError(new ClientIssues([{ field: 'file', reason: 'required', message: 'choose a file' }]));
    const form = new FormData();
    form.append('mappingId', mapping.id);
    form.append('mode', mode);
    form.append('file', file);
    setProgress(0);
    try {
      setReport(await upload<RiskImportReport>('/api/risk/import', form, setProgress));
      onImported();
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  }

  const m = mapping.mapping;
  return (
    <>
      <form className="card" id="risk-import" onSubmit={(e) => void submit(e)} noValidate>
        <h2>{t('risk.import.title')}</h2>
        <p className="muted">{t('risk.import.intro', { id: m.id, label: m.label ?? '—' })}</p>
        <p className="hint">{t('risk.import.columns')}: {[...new Set([m.id, m.date, m.office, ...m.categorical, ...m.numeric, m.label, m.revenue].filter(Boolean))].join(', ')}</p>
        <ErrorSummary error={error} formId="risk-import" labels={{ file: t('risk.import.file') }} />
        <div className="field">
          <label htmlFor="risk-import-file">{t('risk.import.file')}</label>
          <FileField id="risk-import-file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" files={file ? [file] : []} onFiles={(picked) => setFile(picked[0] ?? null)} />
        </div>
        <fieldset className="field">
          <legend>{t('risk.import.mode')}</legend>
          <div className="risk-radios">
            <label className="check">
              <input type="radio" name="risk-mode" checked={mode === 'partial'} onChange={() => setMode('partial')} /> {t('risk.import.partial')}
            </label>
            <label className="check">
              <input type="radio" name="risk-mode" checked={mode === 'all_or_nothing'} onChange={() => setMode('all_or_nothing')} /> {t('risk.import.allOrNothing')}
            </label>
          </div>
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={progress !== null}>
            {progress !== null ? t('risk.import.sending', { pct: Math.round(progress * 100) }) : t('risk.import.submit')}
          </button>
        </div>
      </form>
      {report && (
        <div className="card" role="status">
          <h2>{t('risk.import.report')}</h2>
          <p>
            {t('risk.import.summary', { total: num(report.totalRows), imported: num(report.imported), duplicates: num(report.duplicates), outcomes: num(report.outcomes), rejected: num(report.rejected) })}
          </p>
          {report.mode === 'all_or_nothing' && report.rejected > 0 && <p className="alert alert-warning">{t('risk.import.nothing')}</p>}
          {/* The import was a dead end: say what comes next (train on the outcomes, or score the new declarations).
              Its words must not contain a tab's name: tests find the tabs by name. */}
          {report.imported + report.outcomes > 0 && (
            <p>
              <Link to={`?m=${mapping.id}&tab=${report.outcomes > 0 ? 'models' : 'scored'}`} replace>
                {t(report.outcomes > 0 ? 'risk.import.nextTrain' : 'risk.import.nextScore')}
              </Link>
            </p>
          )}
          {report.errorReportUrl && (
            <p>
              <a href={report.errorReportUrl} download>{t('risk.import.errorsCsv')}</a>
            </p>
          )}
          <Problems problems={report.problems} />
        </div>
      )}
      <BulkOutcomes mapping={mapping} />
    </>
  );
}

/** Outcomes typed or pasted as lines "declaration id, found (1/0), revenue VND". */
function BulkOutcomes({ mapping }: { mapping: RiskMappingView }) {
  const t = useT();
  const [text, setText] = useState('');
  const [result, setResult] = useState<{ recorded: number; rejected: number; problems: Problem[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setResult(null);
    const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    const bad: Problem[] = [];
    const outcomes = lines.map((l, i) => {
      const [ref = '', found = '', revenue = '0'] = l.split(/[,;\t]/).map((x) => x.trim());
      if (!/^[01]$/.test(found)) bad.push({ line: i + 1, field: 'found', reason: 'invalid_value', message: found });
      if (!/^\d*$/.test(revenue)) bad.push({ line: i + 1, field: 'revenueVnd', reason: 'invalid_value', message: revenue });
      return { ref, found: found === '1', revenueVnd: Number(revenue || 0) };
    });
    if (!lines.length) return setError(new ClientIssues([{ field: 'outcomes', reason: 'required', message: 'no lines' }]));
    if (bad.length) return setResult({ recorded: 0, rejected: bad.length, problems: bad });
    try {
      setResult(await api.post('/api/risk/outcomes', { mappingId: mapping.id, outcomes }));
    } catch (err) {
      setError(err);
    }
  }
  return (
    <form className="card" id="risk-outcomes" onSubmit={(e) => void submit(e)} noValidate>
      <h2>{t('risk.outcomes.bulkTitle')}</h2>
      <p className="hint">{t('risk.outcomes.bulkHint')}</p>
      <ErrorAlert error={error} />
      <div className="field">
        <label htmlFor="risk-outcomes-text">{t('risk.outcomes.lines')}</label>
        <textarea id="risk-outcomes-text" className="risk-json" value={text} onChange={(e) => setText(e.target.value)} placeholder={'TK000123,1,15000000\nTK000124,0'} />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary">{t('risk.outcomes.record')}</button>
      </div>
      {result && (
        <>
          <p role="status">{t('risk.outcomes.result', { recorded: num(result.recorded), rejected: num(result.rejected) })}</p>
          <Problems problems={result.problems} />
        </>
      )}
    </form>
  );
}
