import { useState } from 'react';
import type { Locale, SubmitTipBody } from '../../contracts.js';
import { DATE_REASONS, DateField } from '../../components/date-field.js';
import { Field } from '../../components/form.js';
import { useLocale, useT } from '../../i18n/i18n-core.js';
import { PUBLIC_GOODS, PUBLIC_PROVINCES } from './public-reference.js';

/** What the tip forms (public and hotline) hold while being filled in: text as typed. */
export interface TipDraft {
  description: string;
  category: string;
  provinceCode: string;
  place: string;
  occurredOn: string;
  contact: string;
  latitude: number | null;
  longitude: number | null;
}

export const emptyTipDraft = (): TipDraft => ({ description: '', category: '', provinceCode: '', place: '', occurredOn: '', contact: '', latitude: null, longitude: null });

/** The request body: empty fields are left out rather than sent as "". */
export function tipBody(d: TipDraft, locale: Locale): SubmitTipBody {
  const opt = (v: string) => (v.trim() ? v.trim() : undefined);
  return {
    description: d.description.trim(),
    category: opt(d.category),
    provinceCode: opt(d.provinceCode),
    place: opt(d.place),
    occurredOn: opt(d.occurredOn),
    contact: opt(d.contact),
    latitude: d.latitude ?? undefined,
    longitude: d.longitude ?? undefined,
    locale,
  };
}

export function provinceLabel(code: string, locale: Locale): string {
  const p = PUBLIC_PROVINCES.find((x) => x[0] === code);
  return p ? (locale === 'vi' ? p[1] : p[2]) : code;
}

export function goodsLabel(code: string, locale: Locale): string {
  const g = PUBLIC_GOODS.find((x) => x[0] === code);
  return g ? (locale === 'vi' ? g[1] : g[2]) : code;
}

/** Today in Vietnam, yyyy-MM-dd: the latest day a sighting can have happened. */
export function todayInVietnam(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

export const DESCRIPTION_MAX = 10_000;

/** Field labels by the API's field names, for the error summary. */
export function tipFieldLabels(t: ReturnType<typeof useT>): Record<string, string> {
  return {
    description: t('public.description'),
    category: t('public.category'),
    provinceCode: t('public.province'),
    place: t('public.place'),
    latitude: t('public.location'),
    longitude: t('public.location'),
    occurredOn: t('public.occurredOn'),
    contact: t('public.contact'),
    files: t('public.files'),
  };
}

/**
 * What was seen, where and when: the fields the public form and the hotline form share. The public form
 * offers the phone's location; the hotline operator types the place the caller names.
 */
export function TipFieldsEditor({ formId, draft, set, error, withLocation, contactHint }: {
  formId: string;
  draft: TipDraft;
  set: (patch: Partial<TipDraft>) => void;
  error: unknown;
  withLocation: boolean;
  contactHint: string;
}) {
  const t = useT();
  const locale = useLocale();
  const [locating, setLocating] = useState(false);
  const [locationError, setLocationError] = useState<string | null>(null);

  function locate() {
    setLocationError(null);
    if (!('geolocation' in navigator)) {
      setLocationError(t('public.locationUnavailable'));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        // Rounded to about 10 m: enough to find the place, no more precise than a phone usually is.
        set({ latitude: Math.round(pos.coords.latitude * 10_000) / 10_000, longitude: Math.round(pos.coords.longitude * 10_000) / 10_000 });
      },
      (e) => {
        setLocating(false);
        setLocationError(e.code === e.PERMISSION_DENIED ? t('public.locationDenied') : t('public.locationUnavailable'));
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  }

  const sorted = [...PUBLIC_PROVINCES].sort((a, b) => (locale === 'vi' ? a[1] : a[2]).localeCompare(locale === 'vi' ? b[1] : b[2], locale));
  const left = DESCRIPTION_MAX - draft.description.length;

  return (
    <>
      <fieldset className="tip-group">
        <legend>{t('public.whatLegend')}</legend>
        <Field formId={formId} name="category" label={t('public.category')} hint={t('public.categoryHint')} error={error}>
          {(p) => (
            <select {...p} value={draft.category} onChange={(e) => set({ category: e.target.value })}>
              <option value="">{t('public.categoryUnknown')}</option>
              {PUBLIC_GOODS.map(([code, vi, en]) => (
                <option key={code} value={code}>
                  {locale === 'vi' ? vi : en}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field formId={formId} name="description" label={t('public.description')} hint={t('public.descriptionHint')} error={error}>
          {(p) => (
            <textarea {...p} rows={6} required maxLength={DESCRIPTION_MAX} value={draft.description} onChange={(e) => set({ description: e.target.value })} />
          )}
        </Field>
        {left < 1000 && <p className="hint tip-counter">{t('public.charactersLeft', { n: left })}</p>}
      </fieldset>

      <fieldset className="tip-group">
        <legend>{t('public.whereLegend')}</legend>
        <Field formId={formId} name="provinceCode" label={t('public.province')} error={error}>
          {(p) => (
            <select {...p} value={draft.provinceCode} onChange={(e) => set({ provinceCode: e.target.value })}>
              <option value="">{t('public.provinceUnknown')}</option>
              {sorted.map(([code, vi, en]) => (
                <option key={code} value={code}>
                  {locale === 'vi' ? vi : en}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field formId={formId} name="place" label={t('public.place')} hint={t('public.placeHint')} error={error}>
          {(p) => <input {...p} maxLength={500} value={draft.place} onChange={(e) => set({ place: e.target.value })} />}
        </Field>
        {withLocation && (
          <div className="field" id={`${formId}-latitude`}>
            <span className="field-label">{t('public.location')}</span>
            {draft.latitude !== null && draft.longitude !== null ? (
              <p className="tip-location">
                <span>{t('public.locationSet', { lat: draft.latitude.toFixed(4), lon: draft.longitude.toFixed(4) })}</span>{' '}
                <a href={`https://www.openstreetmap.org/?mlat=${draft.latitude}&mlon=${draft.longitude}#map=16/${draft.latitude}/${draft.longitude}`} target="_blank" rel="noreferrer noopener">
                  {t('public.locationView')}
                </a>{' '}
                <button type="button" className="btn btn-small" onClick={() => set({ latitude: null, longitude: null })}>
                  {t('public.locationRemove')}
                </button>
              </p>
            ) : (
              <button type="button" className="btn" onClick={locate} disabled={locating}>
                {locating ? t('public.locating') : t('public.useLocation')}
              </button>
            )}
            <p className="hint">{t('public.locationHint')}</p>
            {locationError && (
              <p className="field-error" role="alert">
                {locationError}
              </p>
            )}
          </div>
        )}
      </fieldset>

      <fieldset className="tip-group">
        <legend>{t('public.whenLegend')}</legend>
        <Field formId={formId} name="occurredOn" label={t('public.occurredOn')} hint={t('public.occurredOnHint')} error={error} reasons={DATE_REASONS}>
          {(p) => <DateField {...p} max={todayInVietnam()} value={draft.occurredOn} onChange={(occurredOn) => set({ occurredOn })} />}
        </Field>
      </fieldset>

      <fieldset className="tip-group">
        <legend>{t('public.contactLegend')}</legend>
        <Field formId={formId} name="contact" label={t('public.contact')} hint={contactHint} error={error}>
          {(p) => <input {...p} maxLength={300} autoComplete="off" value={draft.contact} onChange={(e) => set({ contact: e.target.value })} />}
        </Field>
      </fieldset>
    </>
  );
}
