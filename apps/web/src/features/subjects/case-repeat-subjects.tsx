import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client.js';
import { useT, type Translate } from '../../i18n/i18n.js';
import { formatDate, type EarlierCase, type RepeatSubjectList } from '../../contracts.js';
import './subjects.css';

const KEY_KINDS = ['ID', 'TAX', 'PLATE', 'IMO', 'PHONE'] as const;
/** Earlier cases listed per subject before "show all". */
const SHOWN = 3;

/** "ID:0200…" → "CCCD/CMND 0200…"; "SUBJECT" → the same resolved subject. */
function viaText(t: Translate, via: string) {
  if (via === 'SUBJECT') return t('subjects.repeat.sameSubject');
  const c = via.indexOf(':');
  const kind = via.slice(0, c) as (typeof KEY_KINDS)[number];
  return KEY_KINDS.includes(kind) ? `${t(`subjects.identifier.${kind}`)} ${via.slice(c + 1)}` : via;
}

function EarlierLink({ c, t }: { c: EarlierCase; t: Translate }) {
  return (
    <li>
      <Link to={`/cases/${c.caseId}`}>{c.caseCode}</Link> <span className="muted small">{formatDate(c.detectedOn)} · {c.caseTitle} · {t('subjects.repeat.via', { what: c.via.map((v) => viaText(t, v)).join(', ') })}</span>
    </li>
  );
}

/**
 * On a case the user sees in full: which of its subjects appear in earlier cases (repeat offenders), with
 * links. Only cases the user sees in full are counted; nothing is shown when no subject repeats.
 */
export function CaseRepeatSubjects({ caseId }: { caseId: string }) {
  const t = useT();
  const [data, setData] = useState<RepeatSubjectList | null>(null);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) => setOpen((o) => (o.has(id) ? new Set([...o].filter((x) => x !== id)) : new Set([...o, id])));
  useEffect(() => {
    // a failure hides the flag rather than the case: the case page has its own errors
    api.get<RepeatSubjectList>(`/api/cases/${caseId}/repeat-subjects`).then(setData, () => setData(null));
  }, [caseId]);
  if (!data?.items.length) return null;
  return (
    <section className="card alert-warning" aria-labelledby="repeat-subjects" data-testid="repeat-subjects">
      <h2 id="repeat-subjects">{t('subjects.repeat.title')}</h2>
      <ul className="repeat-list">
        {data.items.map((s) => (
          <li key={s.caseSubjectId}>
            <strong>{s.subjectId ? <Link to={`/subjects/${s.subjectId}`}>{s.name}</Link> : s.name}</strong> <span className="chip">{t(`subjectKind.${s.kind}`)}</span> — {t('subjects.repeat.count', { n: s.earlierCount })}
            {/* The first few: a subject in 30 earlier cases would push the case's own facts screens down on a phone. */}
            <ul className="reasons">
              {(open.has(s.caseSubjectId) ? s.earlierCases : s.earlierCases.slice(0, SHOWN)).map((c) => <EarlierLink key={c.caseId} c={c} t={t} />)}
            </ul>
            {s.earlierCases.length > SHOWN && (
              <button type="button" className="btn btn-small" aria-expanded={open.has(s.caseSubjectId)} onClick={() => toggle(s.caseSubjectId)}>
                {open.has(s.caseSubjectId) ? t('subjects.repeat.fewer') : t('subjects.repeat.all', { n: s.earlierCases.length })}
              </button>
            )}
            {s.earlierCount > s.earlierCases.length && (open.has(s.caseSubjectId) || s.earlierCases.length <= SHOWN) && <p className="muted small">{t('subjects.repeat.more', { n: s.earlierCount - s.earlierCases.length })}</p>}
          </li>
        ))}
      </ul>
      <p className="hint">{t('subjects.repeat.scope')}</p>
    </section>
  );
}
