import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { TipDetail } from '../../contracts.js';
import { api } from '../../api/client.js';
import { DATE_REASONS } from '../../components/date-field.js';
import { ClientIssues, ErrorSummary } from '../../components/form.js';
import { PageHeader } from '../../components/ui.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { TipFieldsEditor, emptyTipDraft, tipBody, tipFieldLabels, type TipDraft } from '../public/tip-fields.js';
import { TipReceiptCard } from '../public/tip-receipt.js';
import '../public/public.css';
import './tips.css';

/** /tips/hotline: an operator records a phone call; the receipt and secret are read to the caller. */
export function TipHotlinePage() {
  const t = useT();
  const locale = useLocale();
  const [draft, setDraft] = useState<TipDraft>(emptyTipDraft);
  const [callerLocale, setCallerLocale] = useState(locale);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ tip: TipDetail; receipt: string; secret: string } | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const formId = 'hotline';

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const body = tipBody(draft, callerLocale);
    try {
      if (body.description.length < 10) throw new ClientIssues([{ field: 'description', reason: body.description ? 'too_short' : 'required', message: '', limit: 10 }]);
      setBusy(true);
      setDone(await api.post<{ tip: TipDetail; receipt: string; secret: string }>('/api/tips/hotline', body));
    } catch (err) {
      setError(err);
      requestAnimationFrame(() => summaryRef.current?.querySelector<HTMLElement>('[role=alert]')?.focus());
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <>
        <TipReceiptCard receipt={done.receipt} secret={done.secret} title={t('hotline.doneTitle')} intro={t('hotline.doneText')} />
        <div className="form-actions">
          <Link className="btn btn-primary" to={`/tips/${done.tip.id}`}>
            {t('hotline.openTip')}
          </Link>
          <button type="button" className="btn" onClick={() => { setDone(null); setDraft(emptyTipDraft()); }}>
            {t('hotline.another')}
          </button>
        </div>
      </>
    );
  }

  return (
    <>
      <Link to="/tips" className="case-back">
        ← {t('tip.back')}
      </Link>
      <PageHeader title={t('hotline.title')} />
      <p className="muted">{t('hotline.intro')}</p>
      <div ref={summaryRef}>
        <ErrorSummary error={error} formId={formId} labels={tipFieldLabels(t)} reasons={{ occurredOn: DATE_REASONS }} />
      </div>
      <form className="card tip-form hotline-form" onSubmit={submit} noValidate aria-busy={busy}>
        <TipFieldsEditor formId={formId} draft={draft} set={(p) => setDraft((d) => ({ ...d, ...p }))} error={error} withLocation={false} contactHint={t('hotline.contactHint')} />
        <div className="field">
          <label htmlFor="hotline-locale">{t('hotline.callerLanguage')}</label>
          <select id="hotline-locale" value={callerLocale} onChange={(e) => setCallerLocale(e.target.value === 'en' ? 'en' : 'vi')}>
            <option value="vi">Tiếng Việt</option>
            <option value="en">English</option>
          </select>
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('public.sending') : t('hotline.submit')}
        </button>
      </form>
    </>
  );
}
