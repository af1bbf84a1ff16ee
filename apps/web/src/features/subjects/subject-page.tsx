import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api/client.js';
import { DateField } from '../../components/date-field.js';
import { todayInVietnam } from '../../components/dates.js';
import { ErrorSummary, ErrorAlert } from '../../components/form.js';
import { Loading, PageHeader } from '../../components/ui.js';
import { useLocale, useT, type Translate } from '../../i18n/i18n.js';
import { formatDate, formatDateTime, formatNumber, SUBJECT_KINDS, type SubjectDecision, type SubjectDetail, type SubjectList, type SubjectMember, type SubjectNetworkView, type SubjectSummary } from '../../contracts.js';
import { NetworkView } from './network-view.js';
import { FollowButton } from './watchlist.js';
import { roleText, SubjectLine } from './subjects-home.js';
import './subjects.css';

/** /subjects/:id — identifiers, cases, how each record joined, analyst merge/split, the network. */
export function SubjectPage() {
  const t = useT();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [s, setS] = useState<SubjectDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  // bumped on every reload: the network is drawn again after a merge, split or undo
  const [loads, setLoads] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(() => {
    setError(null);
    api.get<SubjectDetail>(`/api/subjects/${id}`).then((d) => {
      // a subject merged away answers with the one it was merged into
      if (d.id !== id) navigate(`/subjects/${d.id}`, { replace: true });
      setS(d);
      setLoads((n) => n + 1);
    }, setError);
  }, [id, navigate]);
  useEffect(() => setNotice(null), [id]);
  useEffect(load, [load]);
  if (error !== null && !s) {
    return (
      <>
        <PageHeader title={t('subjects.title')} />
        <ErrorAlert error={error} />
        <Link className="btn" to="/subjects">{t('subjects.back')}</Link>
      </>
    );
  }
  if (!s || s.id !== id) return <Loading />;
  return (
    <>
      <PageHeader title={s.name}>
        <div className="subject-actions">
          <FollowButton subjectId={s.id} />
          <Link className="btn" to="/subjects">{t('subjects.back')}</Link>
        </div>
      </PageHeader>
      {notice && <p className="alert alert-success" role="status">{notice}</p>}
      <div className="card">
        <p>
          <span className="chip">{t(`subjectKind.${s.kind}`)}</span>
          {s.otherNames.length > 0 && <span className="muted"> {t('subjects.otherNames')}: {s.otherNames.join('; ')}</span>}
        </p>
        <h2>{t('subjects.identifiers')}</h2>
        <ul className="chips" aria-label={t('subjects.identifiers')}>
          {s.identifiers.map((i) => (
            <li className="chip" key={`${i.kind}:${i.value}`}>{t(`subjects.identifier.${i.kind}`)}: {i.value}</li>
          ))}
        </ul>
      </div>
      <Relations s={s} />
      <Members s={s} onChanged={load} />
      {s.canDecide && <MergeForm s={s} onMerged={(name) => { setNotice(t('subjects.merge.done', { name })); load(); }} />}
      <Decisions s={s} onUndone={(message) => { setNotice(message); load(); }} />
      <Network id={s.id} refresh={loads} />
    </>
  );
}

function ruleText(t: Translate, m: SubjectMember) {
  return m.rule === 'match' ? t('subjects.rule.match', { score: Math.round((m.score ?? 0) * 100) }) : t(`subjects.rule.${m.rule}`);
}

function Members({ s, onChanged }: { s: SubjectDetail; onChanged: () => void }) {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const split = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    api.post<SubjectDetail>(`/api/subjects/${s.id}/split`, { caseSubjectIds: [...picked], reason }).then((created) => {
      setPicked(new Set());
      setReason('');
      onChanged();
      navigate(`/subjects/${created.id}`);
    }, setError);
  };
  const cases = new Set(s.members.map((m) => m.caseId)).size;
  return (
    <section className="card" aria-labelledby="subject-cases">
      <h2 id="subject-cases">{t('subjects.cases', { n: cases })}</h2>
      <div className="table-wrap">
        <table className="table subject-members">
          <thead>
            <tr>
              {s.canDecide && <th><span className="visually-hidden">{t('subjects.split.select')}</span></th>}
              <th>{t('subjects.col.case')}</th>
              <th>{t('subjects.col.date')}</th>
              <th>{t('subjects.col.role')}</th>
              <th>{t('subjects.col.record')}</th>
              <th>{t('subjects.col.how')}</th>
            </tr>
          </thead>
          <tbody>
            {s.members.map((m) => (
              <tr key={m.caseSubjectId}>
                {s.canDecide && (
                  <td className="member-pick">
                    <input
                      type="checkbox"
                      aria-label={`${t('subjects.split.select')}: ${m.caseCode}`}
                      checked={picked.has(m.caseSubjectId)}
                      onChange={(e) => {
                        const next = new Set(picked);
                        if (e.target.checked) next.add(m.caseSubjectId);
                        else next.delete(m.caseSubjectId);
                        setPicked(next);
                      }}
                    />
                  </td>
                )}
                <td data-label={t('subjects.col.case')}><Link to={`/cases/${m.caseId}`}>{m.caseCode}</Link><div className="muted small">{m.caseTitle}</div></td>
                <td data-label={t('subjects.col.date')} className="nowrap">{formatDate(m.detectedOn)}</td>
                <td data-label={t('subjects.col.role')}>{roleText(t, m.role)}</td>
                <td data-label={t('subjects.col.record')}>
                  {m.name}
                  <div className="muted small">{[m.idNumber, m.taxCode, m.plate, m.imo, m.phone, m.dateOfBirth && formatDate(m.dateOfBirth)].filter(Boolean).join(' · ')}</div>
                </td>
                <td data-label={t('subjects.col.how')}>
                  {ruleText(t, m)}
                  {m.joinedBy && <span className="muted"> {t('subjects.by', { who: m.joinedBy })}</span>}
                  {m.reasons.length > 0 && (
                    <details>
                      <summary>{t('subjects.reasons')}</summary>
                      <ul className="reasons">
                        {m.reasons.filter((r) => r.outcome !== 'missing').map((r) => (
                          <li key={r.field}>
                            {r.field}: {t(`subjects.outcome.${r.outcome}`)} ({t('subjects.bits', { bits: formatNumber(r.weight, locale, 1) })}){r.left && r.right ? ` — ${r.left} / ${r.right}` : ''}
                          </li>
                        ))}
                      </ul>
                    </details>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {s.canDecide && (
        <form id="split-form" onSubmit={split}>
          <h3>{t('subjects.split.title')}</h3>
          <p className="hint">{t('subjects.split.hint')}</p>
          <ErrorSummary error={error} formId="split-form" labels={{ caseSubjectIds: t('subjects.split.select'), reason: t('subjects.merge.reason') }} />
          <label htmlFor="split-reason">{t('subjects.merge.reason')}</label>
          <input id="split-reason" name="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          <button className="btn" type="submit" disabled={!picked.size}>{t('subjects.split.submit', { n: picked.size })}</button>
        </form>
      )}
    </section>
  );
}

function MergeForm({ s, onMerged }: { s: SubjectDetail; onMerged: (name: string) => void }) {
  const t = useT();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<SubjectSummary[]>([]);
  const [other, setOther] = useState<SubjectSummary | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const search = () => {
    if (q.trim()) api.get<SubjectList>('/api/subjects', { q: q.trim(), kind: s.kind }).then((r) => setFound(r.items.filter((x) => x.id !== s.id)), setError);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!other) return;
    setError(null);
    api.post<SubjectDetail>(`/api/subjects/${s.id}/merge`, { otherId: other.id, reason }).then(() => {
      setOther(null);
      setFound([]);
      setReason('');
      onMerged(other.name);
    }, setError);
  };
  return (
    <form className="card" id="merge-form" onSubmit={submit}>
      <h2>{t('subjects.merge.title')}</h2>
      <ErrorSummary error={error} formId="merge-form" labels={{ otherId: t('subjects.merge.search'), reason: t('subjects.merge.reason') }} />
      <label htmlFor="merge-q">{t('subjects.merge.search')}</label>
      <div className="subject-row">
        <input id="merge-q" value={q} onChange={(e) => setQ(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), search())} />
        <button className="btn" type="button" onClick={search}>{t('subjects.search.submit')}</button>
      </div>
      <ul className="subject-results">
        {found.map((x) => (
          <li key={x.id}>
            <label>
              <input type="radio" name="other" checked={other?.id === x.id} onChange={() => setOther(x)} /> {t('subjects.merge.pick')}
            </label>{' '}
            <SubjectLine s={x} t={t} />
          </li>
        ))}
      </ul>
      <label htmlFor="merge-reason">{t('subjects.merge.reason')}</label>
      <input id="merge-reason" name="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      <button className="btn btn-primary" type="submit" disabled={!other}>{t('subjects.merge.submit')}</button>
    </form>
  );
}

/** What a decision did, seen from this subject: how many records, to or from whom. */
function decisionText(t: Translate, s: SubjectDetail, d: SubjectDecision) {
  const n = d.records;
  const name = d.counterpartName;
  if (!name) return t(d.action === 'merge' ? 'subjects.decision.merge' : 'subjects.decision.split', { n });
  const here = d.subjectId === s.id;
  if (d.action === 'merge') return t(here ? 'subjects.decision.mergeFrom' : 'subjects.decision.mergeInto', { n, name });
  return t(here ? 'subjects.decision.splitTo' : 'subjects.decision.splitFrom', { n, name });
}

/** What an undo did, seen from this subject: the records left again (an undone merge) or came back (an undone split). */
function undoneText(t: Translate, s: SubjectDetail, d: SubjectDecision) {
  const here = d.subjectId === s.id;
  const vars = { n: d.records, name: d.counterpartName ?? '—' };
  if (d.action === 'merge') return t(here ? 'subjects.decision.undone.out' : 'subjects.decision.undone.back', vars);
  return t(here ? 'subjects.decision.undone.back' : 'subjects.decision.undone.into', vars);
}

function Decisions({ s, onUndone }: { s: SubjectDetail; onUndone: (message: string) => void }) {
  const t = useT();
  const locale = useLocale();
  const [error, setError] = useState<unknown>(null);
  if (!s.decisions.length) return null;
  const when = (iso: string) => formatDateTime(iso, locale);
  const undo = (d: SubjectDecision) => {
    setError(null);
    api.post<SubjectDetail>(`/api/subjects/decisions/${d.id}/revert`).then((after) => {
      const done = after.decisions.find((x) => x.id === d.id) ?? d;
      onUndone(`${t('subjects.decision.undone')} ${undoneText(t, after, done)}`);
    }, setError);
  };
  const counterpart = (d: SubjectDecision) => (d.subjectId === s.id ? d.otherSubjectId : d.subjectId);
  // the other subject has records of its own (a page to open) after an undone merge or a standing split
  const linked = (d: SubjectDecision) => !!d.counterpartName && (d.action === 'merge') === !!d.revertedAt;
  return (
    <section className="card" aria-labelledby="subject-decisions">
      <h2 id="subject-decisions">{t('subjects.decisions')}</h2>
      <ErrorAlert error={error} />
      <ul className="decision-list">
        {s.decisions.map((d) => (
          <li key={d.id}>
            <strong>{decisionText(t, s, d)}</strong>
            {linked(d) && <> (<Link to={`/subjects/${counterpart(d)}`}>{t('subjects.decision.open')}</Link>)</>} — {d.reason}{' '}
            <span className="muted">{t('subjects.by', { who: d.decidedBy })}, {when(d.decidedAt)}</span>{' '}
            {d.revertedAt ? (
              <span className="muted">
                {t('subjects.decision.reverted', { when: when(d.revertedAt), who: d.revertedBy ?? '' })}: {undoneText(t, s, d)}
              </span>
            ) : (
              s.canDecide && (
                <button className="btn btn-small" type="button" onClick={() => undo(d)}>
                  {t('subjects.decision.revert')}
                </button>
              )
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A company's representatives and owners, or the companies a person is recorded for (issue 7). */
function Relations({ s }: { s: SubjectDetail }) {
  const t = useT();
  const [list, key] = s.kind === 'company' ? [s.directors, 'subjects.directors' as const] : [s.directorOf, 'subjects.directorOf' as const];
  if (!list.length) return null;
  return (
    <section className="card" aria-labelledby="subject-relations">
      <h2 id="subject-relations">{t(key)}</h2>
      <p className="hint">{t(`${key}.hint`)}</p>
      <ul>
        {list.map((r) => (
          <li key={r.id}>
            <Link to={`/subjects/${r.id}`}>{r.name}</Link>{' '}
            <span className="muted">
              {r.roles.map((x) => roleText(t, x)).join(', ')} · {t('subjects.relation.cases', { n: r.cases })}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The network panel: 1 or 2 steps out, a period (only cases detected in it make links) and kind chips
 * (none pressed: every kind). The filters stay when the depth changes. `#network` in the address (the
 * case page's "Mạng lưới" link) scrolls here once the network is drawn.
 */
function Network({ id, refresh }: { id: string; refresh: number }) {
  const t = useT();
  const [depth, setDepth] = useState<1 | 2>(1);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [kinds, setKinds] = useState<readonly string[]>([]);
  const [net, setNet] = useState<SubjectNetworkView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const scrolled = useRef(false);
  // a half-typed day is not sent: the date field says it is wrong when the user leaves it
  const fromDay = DAY.test(from) ? from : undefined;
  const toDay = DAY.test(to) ? to : undefined;
  const kindList = SUBJECT_KINDS.filter((k) => kinds.includes(k)).join(',');
  useEffect(() => {
    setNet(null);
    setError(null);
    let live = true;
    api.get<SubjectNetworkView>(`/api/subjects/${id}/network`, { depth, from: fromDay, to: toDay, kinds: kindList || undefined }).then(
      (n) => live && setNet(n),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [id, depth, fromDay, toDay, kindList, refresh]);
  useEffect(() => {
    if (net && !scrolled.current && window.location.hash === '#network') {
      scrolled.current = true;
      document.getElementById('network')?.scrollIntoView({ block: 'start' });
    }
  }, [net]);
  const toggle = (k: string) => setKinds((ks) => (ks.includes(k) ? ks.filter((x) => x !== k) : [...ks, k]));
  return (
    <section className="card" id="network" aria-labelledby="subject-network">
      <h2 id="subject-network">{t('subjects.network')}</h2>
      <div className="subject-row" role="group" aria-label={t('subjects.network.depth')}>
        <button className={`btn btn-small${depth === 1 ? ' btn-primary' : ''}`} type="button" aria-pressed={depth === 1} onClick={() => setDepth(1)}>{t('subjects.network.depth1')}</button>{' '}
        <button className={`btn btn-small${depth === 2 ? ' btn-primary' : ''}`} type="button" aria-pressed={depth === 2} onClick={() => setDepth(2)}>{t('subjects.network.depth2')}</button>
      </div>
      <div className="network-filters">
        <div className="network-period" role="group" aria-label={t('subjects.network.period')}>
          <div>
            <label htmlFor="network-from">{t('subjects.network.from')}</label>
            <DateField id="network-from" value={from} max={todayInVietnam()} onChange={setFrom} />
          </div>
          <div>
            <label htmlFor="network-to">{t('subjects.network.to')}</label>
            <DateField id="network-to" value={to} max={todayInVietnam()} onChange={setTo} />
          </div>
        </div>
        <div role="group" aria-label={t('subjects.network.kinds')}>
          <span className="muted small">{t('subjects.network.kinds')}</span>
          <div className="network-kinds">
            {SUBJECT_KINDS.map((k) => (
              <button key={k} type="button" className={`btn btn-small${kinds.includes(k) ? ' btn-primary' : ''}`} aria-pressed={kinds.includes(k)} onClick={() => toggle(k)}>
                {t(`subjectKind.${k}`)}
              </button>
            ))}
          </div>
          <p className="hint">{t('subjects.network.kindsHint')}</p>
        </div>
      </div>
      <ErrorAlert error={error} />
      {!net && error === null && <Loading />}
      {net && (
        <>
          <p className="muted">{t('subjects.network.summary', { nodes: net.nodes.length, links: net.links.length })} {net.truncated && t('subjects.network.truncated')}</p>
          <NetworkView net={net} label={t('subjects.network')} directorLabel={t('subjects.network.director')} />
          <p className="hint">{t('subjects.network.legend')}</p>
        </>
      )}
    </section>
  );
}
