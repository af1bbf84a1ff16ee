import { useEffect, useId, useState, type FormEvent } from 'react';
import { formatDateTime, formatNumber, type AttachmentView } from '../../contracts.js';
import { ApiError, api, upload } from '../../api/client.js';
import { ErrorSummary } from '../../components/form.js';
import { FileField } from '../../components/file-field.js';
import { useLocale, useT } from '../../i18n/i18n.js';

// The server's limits (packages/contracts/src/case-attachments.ts), repeated here because that module
// builds zod schemas the bundle should not carry.
const MAX_FILES = 10;
const MAX_MB = 20;
const ACCEPT = '.jpg,.jpeg,.png,.webp,.pdf,.docx,.xlsx,.txt,.csv';

function size(bytes: number, locale: 'vi' | 'en'): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, locale, 0)} KB`;
  return `${formatNumber(bytes / 1024 / 1024, locale, 1)} MB`;
}

/**
 * Photos and documents of a case. Hidden when the server has no attachments route (404), so the
 * page works on an installation without it.
 */
export function CaseAttachments({ caseId, canUpload }: { caseId: string; canUpload: boolean }) {
  const t = useT();
  const locale = useLocale();
  const inputId = useId();
  const [items, setItems] = useState<AttachmentView[] | null>(null);
  const [missing, setMissing] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let cancelled = false;
    api.get<{ items: AttachmentView[] }>(`/api/cases/${caseId}/attachments`).then(
      (r) => !cancelled && setItems(r.items),
      (e: unknown) => {
        if (cancelled) return;
        if (e instanceof ApiError && e.status === 404) setMissing(true);
        else setError(e);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [caseId, tick]);

  if (missing) return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!files.length) return;
    setError(null);
    setDone(false);
    setProgress(0);
    const form = new FormData();
    for (const f of files) form.append('file', f, f.name);
    try {
      await upload(`/api/cases/${caseId}/attachments`, form, setProgress);
      setFiles([]);
      setDone(true);
      setTick((n) => n + 1);
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  }
  const tooBig = files.find((f) => f.size > MAX_MB * 1024 * 1024);

  return (
    <section className="card" aria-labelledby="case-attachments">
      <h2 id="case-attachments">{t('attach.title')}</h2>
      {items && items.length === 0 && <p className="muted">{t('attach.none')}</p>}
      {items && items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('attach.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('attach.name')}</th>
                <th scope="col" className="num">
                  {t('attach.size')}
                </th>
                <th scope="col">{t('attach.by')}</th>
                <th scope="col">{t('attach.at')}</th>
                <th scope="col">{t('attach.sha256')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id}>
                  <td>
                    <a href={`/api/cases/${caseId}/attachments/${a.id}`} download={a.fileName}>
                      {a.fileName}
                    </a>
                  </td>
                  <td className="num nowrap">{size(a.sizeBytes, locale)}</td>
                  <td>{a.uploadedBy ?? '—'}</td>
                  <td className="nowrap">{formatDateTime(a.createdAt, locale)}</td>
                  <td>
                    <code className="small" title={a.sha256}>
                      {a.sha256.slice(0, 12)}…
                    </code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canUpload && (
        <form onSubmit={submit} className="subform">
          <ErrorSummary error={error} formId="attach" labels={{}} />
          <div className="field">
            <label htmlFor={inputId}>{t('attach.file')}</label>
            <FileField
              id={inputId}
              multiple
              accept={ACCEPT}
              aria-describedby={`${inputId}-hint`}
              files={files}
              onFiles={(picked) => {
                setFiles(picked.slice(0, MAX_FILES));
                setDone(false);
              }}
            />
            <p className="hint" id={`${inputId}-hint`}>
              {t('attach.hint', { n: MAX_FILES, mb: MAX_MB })}
            </p>
            {tooBig && <p className="field-error">{t('attach.tooBig', { name: tooBig.name, mb: MAX_MB })}</p>}
          </div>
          {progress !== null && <progress className="progress" value={progress} max={1} aria-label={t('caseImport.progress')} />}
          <div className="form-actions">
            <button type="submit" className="btn" disabled={!files.length || !!tooBig || progress !== null}>
              {t('attach.upload')}
            </button>
            <span role="status" className="small">
              {done ? t('attach.uploaded') : ''}
            </span>
          </div>
        </form>
      )}
    </section>
  );
}
