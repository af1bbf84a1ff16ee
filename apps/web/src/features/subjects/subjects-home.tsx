import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client.js';
import { ErrorAlert } from '../../components/form.js';
import { Loading, PageHeader } from '../../components/ui.js';
import { TabNav } from '../../components/tabs.js';
import { useLocale, useT, type Translate } from '../../i18n/i18n.js';
import { formatNumber, SUBJECT_ROLES, type NetworkGroupList, type SubjectList, type SubjectScope, type SubjectSummary } from '../../contracts.js';
import { useMe } from '../../session/session.js';
import './subjects.css';

export function SubjectsTabs() {
  const t = useT();
  const decider = useMe().roles.some((r) => r === 'analyst' || r === 'admin');
  return (
    <TabNav
      label={t('subjects.tabs')}
      tabs={[
        { to: '/subjects', label: t('subjects.tab.search'), end: true },
        { to: '/subjects/groups', label: t('subjects.tab.groups') },
        ...(decider ? [{ to: '/subjects/review', label: t('subjects.tab.review') }] : []),
        { to: '/subjects/watch', label: t('subjects.tab.watch') },
      ]}
    />
  );
}

/**
 * Subjects come only from cases the user sees in full; a user who sees none (the national office handles
 * no cases) is told why instead of meeting an empty search.
 */
function ScopeNotice() {
  const t = useT();
  const [scope, setScope] = useState<SubjectScope | null>(null);
  useEffect(() => {
    api.get<SubjectScope>('/api/subjects/scope').then(setScope, () => setScope(null));
  }, []);
  if (!scope || scope.seesCasesInFull) return null;
  return (
    <section className="alert alert-info" aria-labelledby="scope-none" data-testid="subjects-scope">
      <h2 id="scope-none" className="alert-title">{t('subjects.scope.noneTitle')}</h2>
      <p>{t('subjects.scope.none')}</p>
    </section>
  );
}

export function SubjectLine({ s, t }: { s: SubjectSummary; t: Translate }) {
  return (
    <>
      <Link to={`/subjects/${s.id}`}>{s.name}</Link> <span className="chip">{t(`subjectKind.${s.kind}`)}</span>{' '}
      <span className="muted">{s.identifiers.map((i) => i.value).join(' · ')}</span> <span className="muted">({t('subjects.search.count', { n: s.caseCount })})</span>
      {s.otherNames.length > 0 && <div className="muted small">{t('subjects.otherNames')}: {s.otherNames.join('; ')}</div>}
    </>
  );
}

/** /subjects: find a subject by name or identifier. */
export function SubjectsSearchPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const [items, setItems] = useState<SubjectSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!q) return setItems(null);
    setError(null);
    api.get<SubjectList>('/api/subjects', { q }).then((r) => setItems(r.items), setError);
  }, [q]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) setParams({ q: text.trim() });
  };
  return (
    <>
      <PageHeader title={t('subjects.title')} />
      <p className="muted">{t('subjects.intro')}</p>
      <SubjectsTabs />
      <ScopeNotice />
      <form className="card subject-search" onSubmit={submit} role="search">
        <label htmlFor="subject-q">{t('subjects.search.label')}</label>
        <div className="subject-row">
          <input id="subject-q" name="q" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" />
          <button className="btn btn-primary" type="submit">{t('subjects.search.submit')}</button>
        </div>
      </form>
      <ErrorAlert error={error} />
      {items && (items.length ? (
        <ul className="card subject-results">
          {items.map((s) => <li key={s.id}><SubjectLine s={s} t={t} /></li>)}
        </ul>
      ) : <p className="muted">{t('subjects.search.none')}</p>)}
    </>
  );
}

/** /subjects/groups: groups found by community detection, with their key players and why. */
export function GroupsPage() {
  const t = useT();
  const locale = useLocale();
  const [data, setData] = useState<NetworkGroupList | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get<NetworkGroupList>('/api/networks/groups', { limit: 20 }).then(setData, setError);
  }, []);
  return (
    <>
      <PageHeader title={t('subjects.title')} />
      <SubjectsTabs />
      <p className="muted">{t('subjects.groups.intro')}</p>
      <ErrorAlert error={error} />
      {!data && error === null && <Loading />}
      {data && !data.items.length && <p className="muted">{t('subjects.groups.none')}</p>}
      {data?.items.map((g, k) => (
        <section className="card group-card" key={g.id} aria-label={t('subjects.groups.group', { n: k + 1, size: g.size, cases: g.cases })}>
          <h2>{t('subjects.groups.group', { n: k + 1, size: g.size, cases: g.cases })}</h2>
          <h3>{t('subjects.groups.keyPlayers')}</h3>
          <ol className="key-players">
            {g.keyPlayers.map((p) => (
              <li key={p.id}>
                <Link to={`/subjects/${p.id}`}>{p.name}</Link> <span className="chip">{t(`subjectKind.${p.kind}`)}</span>{' '}
                <span className="muted">{t('subjects.groups.score', { score: formatNumber(p.score, locale, 2) })}</span>
                <div className="muted small">
                  {t('subjects.groups.why', {
                    degree: p.degree,
                    between: Math.round(p.betweenness * 100),
                    role: p.role ? t('subjects.groups.roleCount', { role: roleText(t, p.role), n: p.roleCount }) : t('subjects.groups.noRole'),
                    cases: p.cases,
                  })}
                </div>
              </li>
            ))}
          </ol>
        </section>
      ))}
    </>
  );
}

/** A role's label; a role the registry does not know (yet) is shown as recorded. */
export function roleText(t: Translate, role: string) {
  return (SUBJECT_ROLES as readonly string[]).includes(role) ? t(`subjectRole.${role as (typeof SUBJECT_ROLES)[number]}`) : role;
}
