import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { formatDateTime, type PublicTipView } from '../../contracts.js';
import { ApiError, api } from '../../api/client.js';
import { ClientIssues, ErrorSummary, Field } from '../../components/form.js';
import { useLocale, useT } from '../../i18n/i18n-core.js';

const path = (receipt: string) => `/api/public/tips/${encodeURIComponent(receipt.trim().toUpperCase().replace(/\s+/g, ''))}`;

/**
 * /report/status: the receipt and the secret open the tip's public status and its messages. The secret
 * travels in a header and stays in memory: never in the address, never stored.
 */
export function TipStatusPage() {
  const t = useT();
  const locale = useLocale();
  const [receipt, setReceipt] = useState('');
  const [secret, setSecret] = useState('');
  const [view, setView] = useState<PublicTipView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [sendError, setSendError] = useState<unknown>(null);
  const [sent, setSent] = useState(false);
  const resultRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${t('public.statusTitle')} · Cordon`;
  }, [t]);

  async function open(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const issues = [];
    if (!receipt.trim()) issues.push({ field: 'receipt', reason: 'required', message: '' });
    if (!secret.trim()) issues.push({ field: 'secret', reason: 'required', message: '' });
    if (issues.length) return setError(new ClientIssues(issues));
    setBusy(true);
    try {
      setView(await api.get<PublicTipView>(path(receipt), {}, { headers: { 'X-Tip-Secret': secret.trim() } }));
      requestAnimationFrame(() => resultRef.current?.focus());
    } catch (err) {
      setView(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function send(e: FormEvent) {
    e.preventDefault();
    if (!view) return;
    setSendError(null);
    setSent(false);
    if (!message.trim()) return setSendError(new ClientIssues([{ field: 'body', reason: 'required', message: '' }]));
    setBusy(true);
    try {
      setView(await api.post<PublicTipView>(`${path(view.receipt)}/messages`, { body: message.trim() }, { headers: { 'X-Tip-Secret': secret.trim() } }));
      setMessage('');
      setSent(true);
    } catch (err) {
      setSendError(err);
    } finally {
      setBusy(false);
    }
  }

  // A wrong secret and an unknown receipt answer alike (404): one sentence for both.
  const notFound = error instanceof ApiError && error.code === 'NOT_FOUND';

  return (
    <>
      <h1 id="page-title">{t('public.statusTitle')}</h1>
      <p className="public-lead">{t('public.statusLead')}</p>
      {notFound ? (
        <div className="alert alert-error" role="alert">
          <p className="alert-title">{t('public.statusNotFound')}</p>
        </div>
      ) : (
        <ErrorSummary error={error} formId="status" labels={{ receipt: t('public.receipt'), secret: t('public.secret') }} />
      )}
      <form className="card tip-form" onSubmit={open} noValidate aria-busy={busy}>
        <Field formId="status" name="receipt" label={t('public.receipt')} hint={t('public.receiptHint')} error={error}>
          {(p) => <input {...p} autoCapitalize="characters" autoComplete="off" spellCheck={false} value={receipt} onChange={(e) => setReceipt(e.target.value)} />}
        </Field>
        <Field formId="status" name="secret" label={t('public.secret')} error={error}>
          {(p) => <input {...p} autoComplete="off" spellCheck={false} value={secret} onChange={(e) => setSecret(e.target.value)} />}
        </Field>
        <button type="submit" className="btn btn-primary btn-block btn-large" disabled={busy}>
          {t('public.statusOpen')}
        </button>
      </form>

      {view && (
        <section className="card" aria-labelledby="tip-status-result">
          <h2 id="tip-status-result" ref={resultRef} tabIndex={-1}>
            {t('public.statusOf', { receipt: view.receipt })}
          </h2>
          <dl className="tip-status-facts">
            <div>
              <dt>{t('common.status')}</dt>
              <dd>
                <span className={`tip-public-status tip-public-status-${view.status}`}>{t(`public.status.${view.status}`)}</span>
              </dd>
            </div>
            <div>
              <dt>{t('public.receivedAt')}</dt>
              <dd>{formatDateTime(view.receivedAt, locale)}</dd>
            </div>
          </dl>
          <p className="hint">{t(`public.statusText.${view.status}`)}</p>

          <h3>{t('public.messages')}</h3>
          {view.messages.length === 0 ? (
            <p className="muted">{t('public.noMessages')}</p>
          ) : (
            <ol className="tip-thread">
              {view.messages.map((m, i) => (
                <li key={i} className={`tip-msg tip-msg-${m.from}`}>
                  <p className="tip-msg-head">
                    <strong>{m.from === 'handler' ? t('public.fromHandler') : t('public.fromYou')}</strong>{' '}
                    <time className="muted small" dateTime={m.at}>
                      {formatDateTime(m.at, locale)}
                    </time>
                  </p>
                  <p className="tip-msg-body">{m.body}</p>
                </li>
              ))}
            </ol>
          )}

          {view.status !== 'closed' && (
            <form onSubmit={send} noValidate className="tip-send">
              <ErrorSummary error={sendError} formId="message" labels={{ body: t('public.newMessage') }} />
              {sent && (
                <p className="alert alert-success" role="status">
                  {t('public.messageSent')}
                </p>
              )}
              <Field formId="message" name="body" label={t('public.newMessage')} hint={t('public.newMessageHint')} error={sendError}>
                {(p) => <textarea {...p} rows={4} maxLength={5000} value={message} onChange={(e) => setMessage(e.target.value)} />}
              </Field>
              <button type="submit" className="btn btn-primary" disabled={busy}>
                {t('public.send')}
              </button>
            </form>
          )}
        </section>
      )}
      <p>
        <Link to="/report">{t('public.navReport')}</Link>
      </p>
    </>
  );
}
