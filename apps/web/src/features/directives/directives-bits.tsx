import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { formatDate, type OrgUnitView, type TaskSummary } from '../../contracts.js';
import { api } from '../../api/client.js';
import { unitName } from '../../components/ui.js';
import { TabNav } from '../../components/tabs.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { useMe } from '../../session/session.js';

/** The standing office manages directives; the server decides, this only shapes the screens. */
export function useIsOffice(): boolean {
  const me = useMe();
  return me.unit.kind === 'national_office' && me.roles.includes('analyst');
}

/** GET a resource; `reload` fetches again. */
export function useResource<T>(path: string | null) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!path) return;
    let cancelled = false;
    setError(null);
    api.get<T>(path).then(
      (r) => !cancelled && setData(r),
      (e: unknown) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, setData, error, reload };
}

/** Active units, for assigning tasks and recording commendations. */
export function useActiveUnits(): OrgUnitView[] {
  const { data } = useResource<{ items: OrgUnitView[] }>('/api/org-units');
  // Memoised: the unit pickers group the list once rather than on every keystroke of the form.
  return useMemo(() => [...(data?.items ?? [])].sort((a, b) => a.code.localeCompare(b.code)), [data]);
}

export function DirectiveTabs() {
  const t = useT();
  return (
    <TabNav
      label={t('dir.tabs')}
      tabs={[
        { to: '/directives', label: t('dir.tab.mine'), end: true },
        { to: '/directives/list', label: t('dir.tab.list') },
        { to: '/directives/compliance', label: t('dir.tab.compliance') },
      ]}
    />
  );
}

export function Pill({ kind, children }: { kind: string; children: string }) {
  return <span className={`pill pill-${kind}`}>{children}</span>;
}

export function DeadlineText({ task }: { task: TaskSummary }) {
  const t = useT();
  const locale = useLocale();
  const left = task.workingDaysLeft;
  return (
    <span>
      {formatDate(task.deadline, locale)}
      {task.deadlineState && left !== null && (
        <> · {task.deadlineState === 'overdue' ? t('task.lateDays', { n: Math.max(1, -left) }) : left === 0 ? t('task.dueToday') : t('task.daysLeft', { n: left })}</>
      )}
    </span>
  );
}

/** Tasks as cards: status, deadline, unit, escalation. */
export function TaskCards({ tasks, showDirective = true }: { tasks: TaskSummary[]; showDirective?: boolean }) {
  const t = useT();
  const locale = useLocale();
  if (!tasks.length) return <p className="muted">{t('mine.nothing')}</p>;
  return (
    <ul className="task-list">
      {tasks.map((task) => (
        <li key={task.id} className={`task-item ${task.deadlineState ?? ''}`}>
          <div className="task-item-head">
            <Link className="task-item-title" to={`/directives/tasks/${task.id}`}>
              {task.title}
            </Link>
            <Pill kind={task.status}>{t(`taskStatus.${task.status}`)}</Pill>
            {task.deadlineState && task.deadlineState !== 'later' && <Pill kind={task.deadlineState}>{t(`deadline.${task.deadlineState}`)}</Pill>}
            {task.status === 'accepted' && <Pill kind={task.compliance}>{t(`compliance.${task.compliance}`)}</Pill>}
            {(task.priority === 'urgent' || task.priority === 'high') && <Pill kind={task.priority}>{t(`taskPriority.${task.priority}`)}</Pill>}
          </div>
          <div className="task-meta">
            <span>{unitName(task.assignedUnit, locale)}</span>
            <span>
              {t('task.deadline')}: <DeadlineText task={task} />
            </span>
            {task.phase && <span>{t(`taskPhase.${task.phase}`)}</span>}
            {showDirective && (
              <span>
                <Link to={`/directives/${task.directiveId}`}>{task.directiveNumber}</Link>
              </span>
            )}
          </div>
          {task.escalation && <p className="small tip-late">{t('task.escalated', { unit: unitName(task.escalation.unit, locale) })}</p>}
        </li>
      ))}
    </ul>
  );
}
