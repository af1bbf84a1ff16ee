import { useId, useState, type DragEvent } from 'react';
import { useLocale, useT } from '../i18n/i18n-core.js';
import { fileSizeText } from './file-size.js';
import './components.css';

export interface FileFieldProps {
  /** The native input's id: the field's own `<label htmlFor>` names it. */
  id?: string;
  name?: string;
  accept?: string;
  multiple?: boolean;
  /**
   * The chosen files, shown beside the button (name and size, or "no file chosen"); when the page empties
   * it (after an upload) the field shows "no file chosen" again. Without it the field shows its own last pick.
   */
  files?: readonly File[];
  /** False when the page lists the files itself (the tip form, a remove button per file) or acts at once (a direct upload). */
  showChosen?: boolean;
  /** Every pick or drop, as a copied array (the input is emptied after it, so the same file can be picked again). */
  onFiles: (files: File[]) => void;
  /** The button's words; "Chọn tệp" / "Choose file(s)" by default. */
  buttonLabel?: string;
  /** `btn-small`, `btn-primary`… added to the button. */
  buttonClassName?: string;
  disabled?: boolean;
  /** The name when no `<label htmlFor={id}>` names the field. */
  'aria-label'?: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}

/**
 * A file input in the UI's language. The native `<input type="file">` says "Choose File / No file chosen"
 * in the *browser's* language (English in an English Chromium on a Vietnamese page) and cannot be
 * restyled, so it is visually hidden — still focusable, Space/Enter open the picker, and Playwright's
 * `setInputFiles` works on it — and a `<label>` styled as a button opens it (a tap on a phone, a click;
 * the label also joins the input's accessible name). The chosen names and sizes come from `files`, not
 * from the input. Files dropped on the field on a desktop count as picked.
 */
export function FileField({ id, name, accept, multiple, files, showChosen = true, onFiles, buttonLabel, buttonClassName, disabled, ...aria }: FileFieldProps) {
  const t = useT();
  const locale = useLocale();
  const ownId = useId();
  const inputId = id ?? ownId;
  const chosenId = `${inputId}-chosen`;
  const [over, setOver] = useState(false);
  const [own, setOwn] = useState<readonly File[]>([]);
  // The input itself never keeps a pick (emptied after each): what is chosen is the page's list, or the last pick.
  const chosen = files ?? own;

  const take = (list: FileList | null | undefined) => {
    const picked = Array.from(list ?? []);
    if (!picked.length) return;
    const next = multiple ? picked : picked.slice(0, 1);
    setOwn(next);
    onFiles(next);
  };
  const onDrag = (e: DragEvent, entering: boolean) => {
    if (disabled || !e.dataTransfer.types.includes('Files')) return;
    e.preventDefault();
    if (entering) e.dataTransfer.dropEffect = 'copy';
    setOver(entering);
  };

  const describedBy = [showChosen ? chosenId : '', aria['aria-describedby'] ?? ''].filter(Boolean).join(' ') || undefined;
  return (
    <div
      className={`file-field${over ? ' file-field-over' : ''}`}
      onDragOver={(e) => onDrag(e, true)}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) onDrag(e, false);
      }}
      onDrop={(e) => {
        onDrag(e, false);
        if (!disabled && e.dataTransfer.files.length) take(e.dataTransfer.files);
      }}
    >
      <input
        id={inputId}
        name={name}
        type="file"
        className="file-field-input"
        accept={accept}
        multiple={multiple}
        disabled={disabled}
        aria-label={aria['aria-label']}
        aria-invalid={aria['aria-invalid']}
        aria-describedby={describedBy}
        onChange={(e) => {
          take(e.currentTarget.files);
          // Emptied, so picking the same file again (after removing it, or after an upload) still counts.
          e.currentTarget.value = '';
        }}
      />
      <label htmlFor={inputId} className={`btn file-field-button${buttonClassName ? ` ${buttonClassName}` : ''}`} aria-disabled={disabled || undefined}>
        <svg aria-hidden="true" viewBox="0 0 20 20" width="16" height="16" focusable="false">
          <path d="M10 13V3m0 0L6 7m4-4 4 4M3 13v3a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-3" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        {buttonLabel ?? t(multiple ? 'file.chooseMany' : 'file.choose')}
      </label>
      {!disabled && (
        <span className="file-field-drop" aria-hidden="true">
          {t(multiple ? 'file.drop' : 'file.dropOne')}
        </span>
      )}
      {showChosen && (
        <div className="file-field-chosen" id={chosenId} aria-live="polite">
          {chosen.length === 0 ? (
            <span className="muted">{t('file.none')}</span>
          ) : (
            <ul>
              {chosen.map((f, i) => (
                <li key={`${f.name}-${i}`}>
                  <span className="file-field-name">{f.name}</span> <span className="muted small nowrap">{fileSizeText(f.size, locale)}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
