import { useEffect, useId, useRef, useState } from 'react';
import { useT } from '../i18n/i18n-core.js';
import { dayMonthYear, parseDayMonthYear, withTypedSlashes } from './dates.js';
import './components.css';

export interface DateFieldProps {
  /** yyyy-MM-dd, '' when empty, or the raw text while it is not (yet) a real day. */
  value: string;
  onChange: (value: string) => void;
  id?: string;
  name?: string;
  /** yyyy-MM-dd bounds for the calendar; the server checks them too. */
  min?: string;
  max?: string;
  required?: boolean;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}

/**
 * A date typed as dd/mm/yyyy, whatever the browser's language (a native date input shows mm/dd/yyyy
 * in an English browser), with a calendar button that opens the phone's or browser's own picker.
 *
 * The parent gets yyyy-MM-dd once the text is a real day, '' when empty, and otherwise the raw text,
 * so the server names the field ("wrong format") instead of the form silently sending nothing.
 * Inside a <Field> the server's message shows there; alone (filters) a wrong date is said here on blur.
 */
export function DateField({ value, onChange, id, name, min, max, required, 'aria-invalid': invalid, 'aria-describedby': describedBy }: DateFieldProps) {
  const t = useT();
  const own = useId();
  const [text, setText] = useState(() => dayMonthYear(value));
  const [checked, setChecked] = useState(false);
  const picker = useRef<HTMLInputElement>(null);

  // The value changed from outside (reset, back button, a loaded record): show it.
  useEffect(() => {
    setText((current) => (textValue(current) === value ? current : dayMonthYear(value)));
  }, [value]);

  const bad = checked && text.trim() !== '' && parseDayMonthYear(text) === null;
  const showOwnError = bad && !invalid;
  const describedByAll = [describedBy, `${own}-format`, showOwnError ? `${own}-error` : ''].filter(Boolean).join(' ');
  const iso = parseDayMonthYear(text) ?? '';

  return (
    <div className="date-field">
      <div className="date-field-row">
        <input
          id={id}
          name={name}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          placeholder={t('date.placeholder')}
          maxLength={10}
          value={text}
          required={required}
          aria-invalid={invalid || bad || undefined}
          aria-describedby={describedByAll}
          onChange={(e) => {
            const next = withTypedSlashes(text, e.target.value);
            setText(next);
            setChecked(false);
            onChange(textValue(next));
          }}
          onBlur={(e) => {
            // Leaving for a button (Save, Apply): the error appearing now would push the button down
            // between mousedown and mouseup, and the click would be lost. Say it once the click is done.
            const to = e.relatedTarget;
            if (to instanceof HTMLElement && to.closest('button')) window.addEventListener('click', () => setChecked(true), { once: true });
            else setChecked(true);
            const parsed = parseDayMonthYear(text);
            if (parsed) setText(dayMonthYear(parsed));
          }}
        />
        <span className="date-field-pick" title={t('date.pick')}>
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <path fill="currentColor" d="M7 2h2v2h6V2h2v2h3a1 1 0 0 1 1 1v15a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1h3V2Zm12 8H5v9h14v-9ZM5 8h14V6H5v2Zm2 4h4v4H7v-4Z" />
          </svg>
          {/* The native picker, invisible over the icon: a tap opens the phone's calendar. Keyboard
              users type the date, so it stays out of the tab order and of the accessibility tree. */}
          <input
            ref={picker}
            type="date"
            tabIndex={-1}
            aria-hidden="true"
            value={iso}
            min={min}
            max={max}
            onClick={() => {
              try {
                picker.current?.showPicker();
              } catch {
                // Older browsers open it on their own when the input is tapped.
              }
            }}
            onChange={(e) => {
              setText(dayMonthYear(e.target.value));
              setChecked(true);
              onChange(e.target.value);
            }}
          />
        </span>
      </div>
      <span id={`${own}-format`} className="visually-hidden">
        {t('date.format')}
      </span>
      {showOwnError && (
        <p className="field-error" id={`${own}-error`}>
          {t('date.invalid')}
        </p>
      )}
    </div>
  );
}

/** What the parent holds for a text: the day when it is one, '' when empty, else the text itself. */
function textValue(text: string): string {
  if (text.trim() === '') return '';
  return parseDayMonthYear(text) ?? text.trim();
}

/** Field's `reasons` for a date: "required" and "wrong format" say how to type one. */
export const DATE_REASONS = { required: 'date.required', invalid_format: 'date.invalidFormat', invalid_type: 'date.invalidFormat' } as const;
