import { useState, type ReactNode } from 'react';
import type { FieldIssue } from '../contracts.js';
import { ApiError } from '../api/client.js';
import { useT, type MessageKey, type Translate } from '../i18n/i18n-core.js';

/**
 * A form's sending state: `send(fn)` clears the last error, marks the form busy while `fn` runs and
 * keeps what it threw for the ErrorSummary and Fields.
 */
export function useSend() {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function send(fn: () => Promise<void>) {
    setError(null);
    setBusy(true);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return { error, setError, busy, send };
}

/** Problems found in the browser before sending (e.g. the two new passwords differ). */
export class ClientIssues extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super('client-side validation');
  }
}

export function issuesOf(error: unknown): FieldIssue[] {
  if (error instanceof ApiError || error instanceof ClientIssues) return error.issues;
  return [];
}

/** The issue for a field or any of its children ("roles" matches "roles.0"). */
export function issueFor(error: unknown, field: string): FieldIssue | undefined {
  return issuesOf(error).find((i) => i.field === field || i.field.startsWith(`${field}.`));
}

const REASONS: Record<string, MessageKey> = {
  required: 'reason.required',
  too_short: 'reason.too_short',
  too_long: 'reason.too_long',
  too_small: 'reason.too_small',
  too_big: 'reason.too_big',
  too_few: 'reason.too_few',
  too_many: 'reason.too_many',
  unknown_field: 'reason.unknown_field',
  invalid_format: 'reason.invalid_format',
  invalid_value: 'reason.invalid_value',
  invalid_type: 'reason.invalid_value',
  not_unique: 'reason.not_unique',
  wrong_password: 'reason.wrong_password',
  not_subset: 'reason.not_subset',
  mismatch: 'reason.mismatch',
  not_found: 'reason.not_found',
  invalid_transition: 'reason.invalid_transition',
};

const BOUNDED = ['reason.too_short', 'reason.too_long', 'reason.too_small', 'reason.too_big', 'reason.too_few', 'reason.too_many'] as const;
function isBounded(key: MessageKey): key is (typeof BOUNDED)[number] {
  return (BOUNDED as readonly string[]).includes(key);
}

/** One field problem in the user's language. Unknown reasons fall back to a generic sentence. */
export function issueText(t: Translate, issue: FieldIssue): string {
  const key = REASONS[issue.reason];
  if (!key) return t('reason.unknown');
  // "at least 1 character" is how the schemas say "required" for text: say it as people do
  if (issue.reason === 'too_short' && issue.limit === 1) return t('reason.required');
  // A minimum of 0 is on amounts and counts: say what was wrong ("-5" typed), not the bound.
  if (issue.reason === 'too_small' && issue.limit === 0) return t('reason.negative');
  if (issue.limit !== undefined && isBounded(key)) return t(`${key}.limit`, { limit: issue.limit });
  return t(key);
}

/** The sentence for a whole failed request, by stable error code (never the server's English text). */
export function errorText(t: Translate, error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof ClientIssues ? t('error.INVALID_INPUT') : t('error.unexpected');
  if (error.code === 'RATE_LIMITED') {
    const s = error.retryAfterSeconds;
    if (s === undefined) return t('error.RATE_LIMITED');
    return s >= 90 ? t('error.rateLimitedMinutes', { n: Math.ceil(s / 60) }) : t('error.rateLimitedSeconds', { n: Math.ceil(s) });
  }
  return t(`error.${error.code}`);
}

function fieldDomId(formId: string, field: string): string {
  return `${formId}-${field.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
}

/**
 * The summary at the top of a form: what went wrong, then each field problem as a link to the input.
 * `labels` maps field paths to the labels shown on the form; issues on fields the form does not
 * show still appear, under their path. `reasons` words a field's reasons as its Field does.
 */
export function ErrorSummary({
  error,
  formId,
  labels,
  reasons,
}: {
  error: unknown;
  formId: string;
  labels: Record<string, string>;
  reasons?: Record<string, Partial<Record<string, MessageKey>>>;
}) {
  const t = useT();
  if (!error) return null;
  const issues = issuesOf(error);
  return (
    <div className="alert alert-error" role="alert" tabIndex={-1}>
      <p className="alert-title">{errorText(t, error)}</p>
      {issues.length > 0 && (
        <ul>
          {issues.map((i, n) => {
            const root = Object.keys(labels).find((f) => i.field === f || i.field.startsWith(`${f}.`));
            const own = root ? reasons?.[root]?.[i.reason] : undefined;
            return (
              <li key={n}>
                {root ? <a href={`#${fieldDomId(formId, root)}`}>{labels[root]}</a> : <code>{i.field || '—'}</code>}: {own ? t(own) : issueText(t, i)}
              </li>
            );
          })}
        </ul>
      )}
      <RequestId error={error} />
    </div>
  );
}

/** "Request id: …" under an error the server answered, so a user can quote it to support. */
function RequestId({ error }: { error: unknown }) {
  const t = useT();
  if (!(error instanceof ApiError) || !error.requestId) return null;
  return (
    <p className="muted small request-id">
      {t('error.requestId')}: <code>{error.requestId}</code>
    </p>
  );
}

/**
 * A failure that is not about a field (a page that did not load, an action refused): the sentence in
 * the user's language and the request id. `children` adds a way out (a retry button).
 */
export function ErrorAlert({ error, children }: { error: unknown; children?: ReactNode }) {
  const t = useT();
  if (!error) return null;
  return (
    <div className="alert alert-error" role="alert">
      <p className="alert-title">{errorText(t, error)}</p>
      <RequestId error={error} />
      {children}
    </div>
  );
}

interface ControlProps {
  id: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
}

/**
 * A labelled control with its hint and its error (from the server or the browser) beneath.
 * `reasons` words a reason for this kind of field (a date's "wrong format" says how to type one).
 */
export function Field({
  formId,
  name,
  label,
  hint,
  error,
  reasons,
  children,
}: {
  formId: string;
  name: string;
  label: string;
  hint?: string;
  error: unknown;
  reasons?: Partial<Record<string, MessageKey>>;
  children: (props: ControlProps) => ReactNode;
}) {
  const t = useT();
  const id = fieldDomId(formId, name);
  const issue = issueFor(error, name);
  const ownReason = issue && reasons?.[issue.reason];
  const describedBy = [hint ? `${id}-hint` : '', issue ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={issue ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': issue ? true : undefined, 'aria-describedby': describedBy })}
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {issue && (
        <p className="field-error" id={`${id}-error`}>
          {ownReason ? t(ownReason) : issueText(t, issue)}
        </p>
      )}
    </div>
  );
}

/** A group of checkboxes (roles) under a legend, with its error. */
export function FieldSet({ formId, name, legend, error, children }: { formId: string; name: string; legend: string; error: unknown; children: ReactNode }) {
  const t = useT();
  const id = fieldDomId(formId, name);
  const issue = issueFor(error, name);
  return (
    <fieldset className={issue ? 'field field-invalid' : 'field'} id={id} aria-describedby={issue ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {children}
      {issue && (
        <p className="field-error" id={`${id}-error`}>
          {issueText(t, issue)}
        </p>
      )}
    </fieldset>
  );
}
