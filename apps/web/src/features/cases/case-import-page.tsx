import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { formatNumber, type CaseImportProblem, type CaseImportReport } from '../../contracts.js';
import { upload } from '../../api/client.js';
import { ClientIssues, ErrorSummary, issueText } from '../../components/form.js';
import { PageHeader } from '../../components/ui.js';
import { FileField } from '../../components/file-field.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import './cases.css';
import { saveTextFile } from '../../components/download.js';

const MODES = ['partial', 'all_or_nothing'] as const;
type Mode = (typeof MODES)[number];

export function CaseImportPage() {
  const t = useT();
  const locale = useLocale();
  const fileId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<Mode>('partial');
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [report, setReport] = useState<CaseImportReport | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setReport(null);
    if (!file) {
      setError(new ClientIssues([{ field: 'file', reason: 'required', message: '' }]));
      return;
    }
    const form = new FormData();
    // The mode goes before the file: the server reads the multipart stream in order.
    form.append('mode', mode);
    form.append('file', file, file.name);
    setProgress(0);
    try {
      setReport(await upload<CaseImportReport>('/api/cases/import', form, setProgress));
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  }

  const pct = progress === null ? 0 : Math.round(progress * 100);
  return (
    <>
      <Link to="/cases" className="case-back">
        ← {t('case.back')}
      </Link>
      <PageHeader title={t('caseImport.title')} />
      <section className="card">
        <p>{t('caseImport.intro')}</p>
        <div className="form-actions">
          <a className="btn" href="/api/cases/import/template?format=csv" download>
            {t('caseImport.templateCsv')}
          </a>
          <a className="btn" href="/api/cases/import/template?format=xlsx" download>
            {t('caseImport.templateXlsx')}
          </a>
        </div>
      </section>
      <form className="card" onSubmit={submit} noValidate>
        <ErrorSummary error={error} formId="import" labels={{ file: t('caseImport.file'), mode: t('caseImport.mode') }} />
        <div className="field">
          <label htmlFor={fileId}>{t('caseImport.file')}</label>
          <FileField
            id={fileId}
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            files={file ? [file] : []}
            onFiles={(picked) => {
              setFile(picked[0] ?? null);
              setReport(null);
            }}
          />
        </div>
        <fieldset className="field">
          <legend>{t('caseImport.mode')}</legend>
          <div className="radio-list">
            {MODES.map((m) => (
              <label key={m} className="check">
                <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
                {t(m === 'partial' ? 'caseImport.mode.partial' : 'caseImport.mode.all')}
              </label>
            ))}
          </div>
        </fieldset>
        {progress !== null && (
          <div className="field">
            <progress className="progress" value={pct} max={100} aria-label={t('caseImport.progress')} />
            <p className="small" role="status">
              {pct < 100 ? t('caseImport.uploading', { pct }) : t('caseImport.processing')}
            </p>
          </div>
        )}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={progress !== null}>
            {t('caseImport.upload')}
          </button>
        </div>
      </form>
      {report && <ImportReport report={report} locale={locale} />}
    </>
  );
}

function ImportReport({ report, locale }: { report: CaseImportReport; locale: 'vi' | 'en' }) {
  const t = useT();
  const n = (x: number) => formatNumber(x, locale);
  return (
    <section className="card" aria-labelledby="import-report" role="region">
      <h2 id="import-report" tabIndex={-1}>
        {t('caseImport.report')}: {report.fileName}
      </h2>
      <dl className="import-counts">
        <div>
          <dt>{t('caseImport.totalRows')}</dt>
          <dd>{n(report.totalRows)}</dd>
        </div>
        <div>
          <dt>{t('caseImport.imported')}</dt>
          <dd>{n(report.imported)}</dd>
        </div>
        <div>
          <dt>{t('caseImport.duplicates')}</dt>
          <dd>{n(report.duplicates)}</dd>
        </div>
        <div className={report.rejected ? 'bad' : undefined}>
          <dt>{t('caseImport.rejected')}</dt>
          <dd>{n(report.rejected)}</dd>
        </div>
      </dl>
      {report.mode === 'all_or_nothing' && report.rejected > 0 && <p className="alert alert-warning">{t('caseImport.nothingImported')}</p>}
      <h3>{t('caseImport.problems')}</h3>
      {report.problems.length === 0 ? (
        <p className="muted">{t('caseImport.noProblems')}</p>
      ) : (
        <>
          {report.errorReportUrl && (
            <p>
              {/* Built here, in the page's language, from the problems listed below (the server's file is English). */}
              <a
                className="btn"
                href={report.errorReportUrl}
                download
                onClick={(e) => {
                  e.preventDefault();
                  saveTextFile(`${report.fileName.replace(/\.[^.]+$/, '')}.${locale === 'vi' ? 'loi' : 'errors'}.csv`, problemsCsv(t, report.problems), 'text/csv;charset=utf-8');
                }}
              >
                {t('caseImport.downloadErrors')}
              </a>
            </p>
          )}
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">{t('caseImport.problems')}</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('caseImport.line')}
                  </th>
                  <th scope="col">{t('caseImport.field')}</th>
                  <th scope="col">{t('caseImport.reason')}</th>
                  <th scope="col">{t('caseImport.message')}</th>
                </tr>
              </thead>
              <tbody>
                {report.problems.map((p, i) => (
                  <tr key={i}>
                    <td className="num">{p.line === 0 ? t('caseImport.wholeFile') : p.line}</td>
                    <td>
                      {/* Officers' files carry the Vietnamese headers: name the column that way, its English key beside. */}
                      {locale === 'vi' && p.column ? (
                        <>
                          {p.column} <code className="small muted">{p.field}</code>
                        </>
                      ) : p.field ? (
                        <code>{p.field}</code>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td>{importReasonText(t, p)}</td>
                    {/* The server's explanation is English: a Vietnamese reader gets the cell as written instead
                        (the reason column already says what is wrong with it), the English beside it in a tooltip. */}
                    {locale === 'vi' && p.value !== undefined ? (
                      <td className="small" title={p.message}>
                        {t('caseImport.value', { value: `«${p.value}»` })}
                      </td>
                    ) : (
                      <td className="small muted" lang="en">
                        {p.message}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** Import reasons are the form's reasons plus a few of their own. */
function importReasonText(t: ReturnType<typeof useT>, p: Pick<CaseImportProblem, 'reason' | 'limit'>): string {
  if (p.reason === 'duplicate') return t('reason.duplicate');
  if (p.reason === 'unknown_column') return t('reason.unknown_column');
  if (p.reason === 'empty_file') return t('reason.empty_file');
  return issueText(t, { field: '', reason: p.reason, message: '', ...(p.limit !== undefined ? { limit: p.limit } : {}) });
}

const csvCell = (v: string | number) => (/[",\r\n;]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

/**
 * The problems as a CSV in the page's language, made from the report the page shows (the server keeps
 * the same first 10,000 problems; its errors.csv, for API users, is in English). Excel reads the BOM as UTF-8.
 */
export function problemsCsv(t: ReturnType<typeof useT>, problems: readonly CaseImportProblem[]): string {
  const header = [t('caseImport.line'), t('caseImport.column'), t('caseImport.field'), t('caseImport.reason'), t('caseImport.valueInFile'), t('caseImport.explanation')];
  const lines = problems.map((p) => [p.line, p.column ?? '', p.field, importReasonText(t, p), p.value ?? '', p.message]);
  return '\uFEFF' + [header, ...lines].map((l) => l.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
