import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { OrgUnitView } from '../contracts.js';
import { useLocale, useT } from '../i18n/i18n.js';
import { unitName } from './ui.js';
import { groupByRoot, unitMatches } from './unit-tree.js';
import './components.css';

export interface UnitPickerProps {
  /** Every unit the user may choose from (inactive ones are offered only when already chosen). */
  units: readonly OrgUnitView[];
  /** The chosen unit's id, or ''. */
  value: string;
  onChange: (id: string) => void;
  id?: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
  /** Offers "nothing" as the first choice, under this label ("All" in a filter, "—" for no parent). */
  emptyLabel?: string;
  /** Units not offered here (already chosen elsewhere in the form). */
  exclude?: readonly string[];
  /** For adding to a list (coordinating units): the box empties after each pick. */
  clearOnPick?: boolean;
}

interface Choice {
  id: string;
  label: string;
  code: string;
  depth: number;
}

/**
 * A searchable unit picker (ARIA 1.2 combobox with a grouped listbox) for the ~200 units of the
 * organisation: type any part of a name or code without diacritics ("hai phong"), move with the arrow
 * keys, Enter picks, Escape leaves the choice as it was. Units are grouped by their tree's root — the
 * standing office, each force, each provincial committee. The list opens below the box and scrolls
 * on its own, so it works on a phone where a native <select> of 213 lines does not.
 */
export function UnitPicker({ units, value, onChange, id, emptyLabel, exclude, clearOnPick, 'aria-invalid': invalid, 'aria-describedby': describedBy }: UnitPickerProps) {
  const t = useT();
  const locale = useLocale();
  const own = useId();
  const inputId = id ?? `${own}-input`;
  const listId = `${own}-list`;
  const input = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [typed, setTyped] = useState(false);
  const [active, setActive] = useState(0);

  const label = (u: OrgUnitView) => `${unitName(u, locale)} (${u.code})`;
  const chosen = units.find((u) => u.id === value);
  const shown = open ? query : chosen ? label(chosen) : '';

  const groups = useMemo(() => groupByRoot(units), [units]);
  // What the list offers for the text typed so far, group by group, and the same flattened for the keys.
  const { visible, flat } = useMemo(() => {
    const skip = new Set(exclude ?? []);
    const out: { root: OrgUnitView; choices: Choice[] }[] = [];
    for (const g of groups) {
      const choices = g.rows
        .filter(({ unit }) => !skip.has(unit.id) && (unit.active || unit.id === value) && (!typed || unitMatches(query, unit, g.root)))
        .map(({ unit, depth }) => ({ id: unit.id, label: unitName(unit, locale), code: unit.code, depth }));
      if (choices.length) out.push({ root: g.root, choices });
    }
    const all: Choice[] = [...(emptyLabel !== undefined && !typed ? [{ id: '', label: emptyLabel, code: '', depth: 0 }] : []), ...out.flatMap((g) => g.choices)];
    return { visible: out, flat: all };
  }, [groups, exclude, value, typed, query, locale, emptyLabel]);

  const optionId = (choiceId: string) => `${own}-opt-${choiceId || 'none'}`;
  const activeChoice = open ? flat[Math.min(active, flat.length - 1)] : undefined;

  // Keep the highlighted option in view while moving with the keys.
  useEffect(() => {
    if (activeChoice) document.getElementById(`${own}-opt-${activeChoice.id || 'none'}`)?.scrollIntoView({ block: 'nearest' });
  }, [own, activeChoice?.id]);

  function openList() {
    if (open) return;
    setOpen(true);
    setTyped(false);
    setQuery(chosen && !clearOnPick ? label(chosen) : '');
    const at = flat.findIndex((c) => c.id === value);
    setActive(at < 0 ? 0 : at);
    // Typing replaces the current name rather than adding to it.
    requestAnimationFrame(() => input.current?.select());
  }

  function close() {
    setOpen(false);
    setTyped(false);
    setQuery('');
  }

  function choose(choice: Choice) {
    onChange(choice.id);
    close();
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) return openList();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => Math.max(0, Math.min(flat.length - 1, a + step)));
    } else if (e.key === 'Enter' && open) {
      // Enter picks the highlighted unit; it must not also send the form.
      e.preventDefault();
      if (activeChoice) choose(activeChoice);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      close();
    }
  }

  return (
    <div className="unit-picker">
      <input
        ref={input}
        id={inputId}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={activeChoice ? optionId(activeChoice.id) : undefined}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        placeholder={chosen ? undefined : emptyLabel && !open ? emptyLabel : t('unitPicker.placeholder')}
        value={shown}
        onFocus={openList}
        onClick={openList}
        onBlur={close}
        onKeyDown={onKeyDown}
        onChange={(e) => {
          if (!open) setOpen(true);
          setQuery(e.target.value);
          setTyped(true);
          setActive(0);
        }}
      />
      {/* The list is always in the page (hidden when closed) so aria-controls points at something. */}
      <div
        id={listId}
        role="listbox"
        className="unit-picker-list"
        hidden={!open}
        aria-label={t('unitPicker.placeholder')}
        // Clicking an option must not blur the box first (that would close the list before the click).
        onMouseDown={(e) => e.preventDefault()}
      >
        {open && emptyLabel !== undefined && !typed && (
          <div id={optionId('')} role="option" aria-selected={value === ''} className={optionClass(activeChoice?.id === '', value === '', 0)} onClick={() => choose(flat[0]!)}>
            {emptyLabel}
          </div>
        )}
        {open &&
          visible.map((g) => (
            <div key={g.root.id} role="group" aria-labelledby={`${own}-g-${g.root.id}`}>
              <div role="presentation" id={`${own}-g-${g.root.id}`} className="unit-picker-group">
                {unitName(g.root, locale)}
              </div>
              {g.choices.map((c) => (
                <div key={c.id} id={optionId(c.id)} role="option" aria-selected={c.id === value} className={optionClass(activeChoice?.id === c.id, c.id === value, c.depth)} onClick={() => choose(c)}>
                  {c.label} <span className="unit-picker-code">{c.code}</span>
                </div>
              ))}
            </div>
          ))}
        {open && flat.length === 0 && <div className="unit-picker-empty">{t('unitPicker.none')}</div>}
      </div>
      <span className="visually-hidden" role="status" aria-live="polite">
        {open && typed ? t('unitPicker.count', { n: flat.length }) : ''}
      </span>
    </div>
  );
}

function optionClass(active: boolean, selected: boolean, depth: number): string {
  return ['unit-picker-option', active ? 'active' : '', selected ? 'selected' : '', `depth-${Math.min(depth, 3)}`].filter(Boolean).join(' ');
}

export interface UnitListPickerProps {
  /** Every unit the user may add. */
  units: readonly OrgUnitView[];
  /** The chosen units' ids, in the order they were added. */
  value: readonly string[];
  onChange: (ids: string[]) => void;
  id?: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
  /** Units not offered (chosen elsewhere in the form, such as the lead unit). */
  exclude?: readonly string[];
}

/**
 * Several units: the searchable picker adds one at a time and the chosen ones show as chips below,
 * each with a button that takes it off. Used where a form needs a list of units (a case's
 * coordinating units, the units a directive template assigns tasks to) instead of dozens of checkboxes.
 */
export function UnitListPicker({ units, value, onChange, exclude, ...input }: UnitListPickerProps) {
  const t = useT();
  const locale = useLocale();
  const byId = useMemo(() => new Map(units.map((u) => [u.id, u])), [units]);
  const label = (id: string) => {
    const u = byId.get(id);
    return u ? `${unitName(u, locale)} (${u.code})` : id;
  };
  return (
    <div>
      <UnitPicker {...input} units={units} value="" clearOnPick exclude={[...(exclude ?? []), ...value]} onChange={(id) => id && onChange([...value, id])} />
      {value.length > 0 && (
        <ul className="chips unit-chips">
          {value.map((id) => (
            <li key={id} className="chip">
              {label(id)}
              <button type="button" aria-label={t('unitPicker.clear', { name: label(id) })} onClick={() => onChange(value.filter((x) => x !== id))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
