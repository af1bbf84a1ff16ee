import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import QRCode from 'qrcode';
import { formatDate, formatNumber, type CustodyItemDetail } from '../../contracts.js';
import { api } from '../../api/client.js';
import { ErrorAlert } from '../../components/form.js';
import { Loading, unitName } from '../../components/ui.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { formatHsCode } from '../cases/reference.js';
import { itemUrl } from './custody-bits.js';
import './custody.css';

/**
 * The printable label, outside the app's frame so it prints alone: the item code in large type, what it
 * is, its case and seizure date, and a QR code carrying the item page's address (which checks access
 * like any other page: the code itself reveals nothing but the address).
 */
export function CustodyLabelPage() {
  const t = useT();
  const locale = useLocale();
  const { id = '' } = useParams();
  const [item, setItem] = useState<CustodyItemDetail | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let cancelled = false;
    api.get<CustodyItemDetail>(`/api/custody/items/${id}`).then(
      (r) => !cancelled && setItem(r),
      (e: unknown) => !cancelled && setError(e),
    );
    // Error correction M: survives a scuffed label; margin 2 modules is enough on white paper.
    QRCode.toDataURL(itemUrl(id), { errorCorrectionLevel: 'M', margin: 2, width: 320 }).then(
      (url) => !cancelled && setQr(url),
      (e: unknown) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [id]);

  if (error) {
    return (
      <main className="custody-label-page">
        <ErrorAlert error={error} />
        <Link to={`/custody/items/${id}`}>{t('custody.labelBack')}</Link>
      </main>
    );
  }
  if (!item || !qr) return <Loading />;
  return (
    <main className="custody-label-page">
      <div className="custody-label-actions no-print">
        <Link to={`/custody/items/${item.id}`}>{t('custody.labelBack')}</Link>
        <button type="button" className="btn btn-primary" onClick={() => window.print()}>
          {t('custody.labelPrint')}
        </button>
      </div>
      <article className="custody-label" aria-label={t('custody.label')} data-item-id={item.id}>
        <img className="custody-label-qr" src={qr} alt={t('custody.qrAlt', { code: item.code })} width={160} height={160} />
        <div className="custody-label-text">
          <p className="custody-label-code">{item.code}</p>
          <p className="custody-label-desc">{item.description}</p>
          <p>
            {item.quantity !== null && `${formatNumber(item.quantity, locale)} ${item.unit ?? ''}`}
            {item.hsCode && ` · HS ${formatHsCode(item.hsCode)}`}
          </p>
          <p>
            {t('custody.case')}: {item.caseCode} · {t('custody.seizedOn')}: {formatDate(item.seizedOn, locale)}
          </p>
          <p>{unitName(item.holderUnit, locale)}</p>
          <p className="custody-label-id">{item.id}</p>
          <p className="small">{t('custody.labelScan')}</p>
        </div>
      </article>
    </main>
  );
}
