import { useRef, type KeyboardEvent } from 'react';
import { nextTabIndex } from '../core/keyMoves.ts';

/** One tab: the value it selects, its words, and the ids tying it to its panel. */
export interface Tab<T extends string> {
  readonly value: T;
  readonly label: string;
  readonly tabId: string;
  readonly panelId: string;
}

interface TabListProps<T extends string> {
  /** The list's class, which styles it (`view-switch`, `tabs`). */
  readonly className: string;
  /** The list's accessible name. */
  readonly label: string;
  readonly tabs: readonly Tab<T>[];
  readonly selected: T;
  readonly onSelect: (value: T) => void;
}

/**
 * A WAI-ARIA tab list with a roving tab stop: only the selected tab is in the tab order, the
 * arrow keys (wrapping), Home and End select and focus another. The Train/Compare switch and the
 * analysis views use it; each renders its own panels.
 */
export function TabList<T extends string>({ className, label, tabs, selected, onSelect }: TabListProps<T>) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (event: KeyboardEvent, index: number) => {
    const next = nextTabIndex(event.key, index, tabs.length);
    if (next === null) return;
    event.preventDefault();
    const target = tabs[next];
    if (target) onSelect(target.value);
    refs.current[next]?.focus();
  };
  return (
    <div className={className} role="tablist" aria-label={label}>
      {tabs.map((tab, i) => (
        <button
          key={tab.value}
          ref={(el) => {
            refs.current[i] = el;
          }}
          id={tab.tabId}
          type="button"
          role="tab"
          aria-selected={selected === tab.value}
          aria-controls={tab.panelId}
          tabIndex={selected === tab.value ? 0 : -1}
          onKeyDown={(event) => onKey(event, i)}
          onClick={() => onSelect(tab.value)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
