import { useEffect, useRef } from 'react';
import { formatDateTime } from '../../contracts.js';
import { CopyButton } from './copy-button.js';
import { useLocale, useT } from '../../i18n/i18n-core.js';
import { saveTextFile } from '../../components/download.js';

/** The receipt code and secret, shown once: copy each, or save both as a text file. */
export function TipReceiptCard({ receipt, secret, title, intro }: { receipt: string; secret: string; title: string; intro: string }) {
  const t = useT();
  const locale = useLocale();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  function download() {
    const statusUrl = `${window.location.origin}/report/status`;
    const text = [
      t('public.fileTitle'),
      '',
      `${t('public.receipt')}: ${receipt}`,
      `${t('public.secret')}: ${secret}`,
      `${t('public.fileSaved')}: ${formatDateTime(new Date(), locale)}`,
      '',
      t('public.fileHowTo', { url: statusUrl }),
      t('public.fileKeep'),
      '',
    ].join('\r\n');
    saveTextFile(`${receipt}.txt`, text);
  }

  return (
    <section className="card tip-receipt" aria-labelledby="tip-receipt-title">
      <h1 id="tip-receipt-title" ref={headingRef} tabIndex={-1}>
        {title}
      </h1>
      <p>{intro}</p>
      <div className="alert alert-warning" role="note">
        <p className="alert-title">{t('public.keepTitle')}</p>
        <p>{t('public.keepText')}</p>
      </div>
      <dl className="tip-codes">
        <div>
          <dt>{t('public.receipt')}</dt>
          <dd>
            <code data-testid="tip-receipt">{receipt}</code>
            <CopyButton text={receipt} label={t('public.copyReceipt')} />
          </dd>
        </div>
        <div>
          <dt>{t('public.secret')}</dt>
          <dd>
            <code data-testid="tip-secret">{secret}</code>
            <CopyButton text={secret} label={t('public.copySecret')} />
          </dd>
        </div>
      </dl>
      <div className="form-actions">
        <button type="button" className="btn btn-primary" onClick={download}>
          {t('public.download')}
        </button>
        <CopyButton text={`${t('public.receipt')}: ${receipt}\n${t('public.secret')}: ${secret}`} label={t('public.copyBoth')} />
      </div>
    </section>
  );
}
