import { useId, useState } from 'react';
import { useT } from '../../i18n/i18n-core.js';

/**
 * A copy button with a visible confirmation, named for what it copies (two sit side by side on the
 * receipt). The staff app's CopyButton lives beside the session code; this one needs only i18n.
 */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const t = useT();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const statusId = useId();
  return (
    <span className="copy">
      <button
        type="button"
        className="btn btn-small"
        aria-describedby={statusId}
        onClick={() => {
          if (!navigator.clipboard) return setState('failed');
          navigator.clipboard.writeText(text).then(
            () => setState('copied'),
            () => setState('failed'),
          );
        }}
      >
        {label}
      </button>
      <span id={statusId} role="status" className="small">
        {state === 'copied' ? t('common.copied') : state === 'failed' ? t('common.copyFailed') : ''}
      </span>
    </span>
  );
}
