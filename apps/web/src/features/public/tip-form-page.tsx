import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { FieldIssue } from '../../contracts.js';
import { api, upload } from '../../api/client.js';
import { DATE_REASONS } from '../../components/date-field.js';
import { ClientIssues, ErrorSummary } from '../../components/form.js';
import { FileField } from '../../components/file-field.js';
import { useLocale, useT } from '../../i18n/i18n-core.js';
import { TipFieldsEditor, emptyTipDraft, tipBody, tipFieldLabels, type TipDraft } from './tip-fields.js';
import { TipReceiptCard } from './tip-receipt.js';

// The server's limits (TIP_MAX_FILES, TIP_FILE_MAX_BYTES in @cordon/contracts' tips module, which
// carries zod): checked here first so a phone does not send 50 MB to hear "no".
const MAX_FILES = 5;
const MAX_FILE_BYTES = 10 * 1024 * 1024;
const ACCEPT = 'image/jpeg,image/png,image/webp,image/heic,application/pdf,.doc,.docx,.xls,.xlsx,.txt,.mp4';

interface Receipt {
  receipt: string;
  secret: string;
  refusedFiles: { fileName: string; reason: string; message: string }[];
}

function sizeText(bytes: number, locale: string): string {
  if (bytes < 1024 * 1024) return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(Math.max(1, bytes / 1024))} KB`;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(bytes / 1024 / 1024)} MB`;
}

export function TipFormPage() {
  const t = useT();
  const locale = useLocale();
  const [draft, setDraft] = useState<TipDraft>(emptyTipDraft);
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [done, setDone] = useState<Receipt | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const formId = 'tip';

  useEffect(() => {
    document.title = `${t('public.title')} · Cordon`;
  }, [t]);

  const set = (patch: Partial<TipDraft>) => setDraft((d) => ({ ...d, ...patch }));

  // FileField hands over a copied array and empties its input, so the same file can be added again.
  const addFiles = (picked: File[]) => setFiles((prev) => [...prev, ...picked]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const issues: FieldIssue[] = [];
    const body = tipBody(draft, locale);
    if (body.description.length < 10) issues.push({ field: 'description', reason: body.description ? 'too_short' : 'required', message: '', limit: 10 });
    if (files.length > MAX_FILES) issues.push({ field: 'files', reason: 'too_many', message: '', limit: MAX_FILES });
    if (files.some((f) => f.size > MAX_FILE_BYTES)) issues.push({ field: 'files', reason: 'too_big', message: '' });
    if (issues.length) {
      setError(new ClientIssues(issues));
      requestAnimationFrame(() => summaryRef.current?.querySelector<HTMLElement>('[role=alert]')?.focus());
      return;
    }
    setBusy(true);
    try {
      let r: Receipt;
      if (files.length) {
        const form = new FormData();
        form.append('tip', JSON.stringify(body));
        for (const f of files) form.append('files', f, f.name);
        setProgress(0);
        r = await upload<Receipt>('/api/public/tips', form, setProgress);
      } else {
        r = await api.post<Receipt>('/api/public/tips', body);
      }
      setDone(r);
      window.scrollTo(0, 0);
    } catch (err) {
      setError(err);
      requestAnimationFrame(() => summaryRef.current?.querySelector<HTMLElement>('[role=alert]')?.focus());
    } finally {
      setBusy(false);
      setProgress(null);
    }
  }

  if (done) {
    return (
      <>
        <TipReceiptCard receipt={done.receipt} secret={done.secret} title={t('public.thanksTitle')} intro={t('public.thanksText')} />
        {done.refusedFiles.length > 0 && (
          <div className="alert alert-warning" role="status">
            <p className="alert-title">{t('public.refusedFiles')}</p>
            <ul>
              {done.refusedFiles.map((f, i) => (
                <li key={i}>
                  {f.fileName}: {t('public.refusedReason')}
                </li>
              ))}
            </ul>
          </div>
        )}
        <section className="card">
          <h2>{t('public.nextTitle')}</h2>
          <p>{t('public.nextText')}</p>
          <p>
            <Link className="btn" to="/report/status">
              {t('public.navStatus')}
            </Link>
          </p>
        </section>
      </>
    );
  }

  const labels = tipFieldLabels(t);

  return (
    <>
      <h1 id="page-title">{t('public.title')}</h1>
      <p className="public-lead">{t('public.lead')}</p>
      <div className="alert alert-info" role="note">
        <p>{t('public.safety')}</p>
      </div>
      <p className="small">
        <Link to="/report/status">{t('public.haveReceipt')}</Link>
      </p>

      <div ref={summaryRef}>
        <ErrorSummary error={error} formId={formId} labels={labels} reasons={{ occurredOn: DATE_REASONS }} />
      </div>
      <form className="card tip-form" onSubmit={submit} noValidate aria-busy={busy}>
        <TipFieldsEditor formId={formId} draft={draft} set={set} error={error} withLocation contactHint={t('public.contactHint')} />

        <fieldset className="tip-group" id={`${formId}-files`}>
          <legend>{t('public.files')}</legend>
          <p className="hint">{t('public.filesHint', { n: MAX_FILES, mb: 10 })}</p>
          <FileField multiple accept={ACCEPT} buttonLabel={t('public.addFiles')} showChosen={false} onFiles={addFiles} />
          {files.length > 0 && (
            <ul className="tip-files">
              {files.map((f, i) => (
                <li key={`${f.name}-${i}`} className={f.size > MAX_FILE_BYTES ? 'too-big' : undefined}>
                  <span className="tip-file-name">{f.name}</span>
                  <span className="muted small">
                    {sizeText(f.size, locale)}
                    {f.size > MAX_FILE_BYTES && ` · ${t('public.fileTooBig', { mb: 10 })}`}
                  </span>
                  <button type="button" className="btn btn-small" onClick={() => setFiles((prev) => prev.filter((_, n) => n !== i))} aria-label={t('public.removeFile', { name: f.name })}>
                    {t('public.remove')}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {files.length > MAX_FILES && <p className="field-error">{t('reason.too_many.limit', { limit: MAX_FILES })}</p>}
          <p className="hint">{t('public.metadataNote')}</p>
        </fieldset>

        {progress !== null && (
          <div className="tip-progress">
            <label htmlFor="tip-progress">{t('public.uploading', { pct: Math.round(progress * 100) })}</label>
            <progress id="tip-progress" max={1} value={progress} />
          </div>
        )}
        <button type="submit" className="btn btn-primary btn-block btn-large" disabled={busy}>
          {busy ? t('public.sending') : t('public.submit')}
        </button>
      </form>
    </>
  );
}
