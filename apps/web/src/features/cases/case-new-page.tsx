import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { CaseDetail } from '../../contracts.js';
import { api } from '../../api/client.js';
import { ErrorAlert } from '../../components/form.js';
import { Loading } from '../../components/ui.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { useMe } from '../../session/session.js';
import { CaseForm, FormPage, bodyOf, draftOf, emptyDraft } from './case-form.js';
import './cases.css';

export function CaseNewPage() {
  const t = useT();
  const locale = useLocale();
  const me = useMe();
  const navigate = useNavigate();
  return (
    <FormPage title={t('caseForm.newTitle')}>
      <p>
        <Link to="/cases" className="case-back">
          ← {t('case.back')}
        </Link>
      </p>
      <CaseForm
        mode="create"
        initial={emptyDraft(me.unit.id)}
        onSubmit={async (d) => {
          const created = await api.post<CaseDetail>('/api/cases', bodyOf(d, locale));
          navigate(`/cases/${created.id}`, { state: { flash: t('case.created', { code: created.code }) } });
        }}
        onCancel={() => navigate('/cases')}
      />
    </FormPage>
  );
}

/** The same form as recording, filled from the case; saves with the version read (409 if stale). */
export function CaseEditPage() {
  const t = useT();
  const locale = useLocale();
  const { id } = useParams();
  const navigate = useNavigate();
  const [c, setC] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let cancelled = false;
    api.get<CaseDetail>(`/api/cases/${id}`).then(
      (r) => !cancelled && setC(r),
      (e: unknown) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [id]);
  if (error) return <ErrorAlert error={error} />;
  if (!c) return <Loading />;
  return (
    <FormPage title={t('caseForm.editTitle', { code: c.code })}>
      <p>
        <Link to={`/cases/${c.id}`} className="case-back">
          ← {c.code}
        </Link>
      </p>
      <CaseForm
        mode="edit"
        code={c.code}
        initial={draftOf(c, locale)}
        onSubmit={async (d) => {
          const { sourceRef: _ref, ...body } = bodyOf(d, locale);
          await api.patch<CaseDetail>(`/api/cases/${c.id}`, { ...body, version: c.version });
          navigate(`/cases/${c.id}`, { state: { flash: t('case.updated') } });
        }}
        onCancel={() => navigate(`/cases/${c.id}`)}
      />
    </FormPage>
  );
}
