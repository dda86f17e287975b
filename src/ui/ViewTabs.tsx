import { useRef, type KeyboardEvent } from 'react';
import type { View } from '../core/urlState.ts';

export const VIEWS: readonly { readonly value: View; readonly label: string }[] = [
  { value: 'train', label: 'Train' },
  { value: 'compare', label: 'Compare' },
];

export const viewPanelId = (view: View) => `view-panel-${view}`;
export const viewTabId = (view: View) => `view-tab-${view}`;

interface ViewTabsProps {
  readonly view: View;
  readonly onChange: (view: View) => void;
}

/**
 * Train one model, or compare runs: a WAI-ARIA tab list (arrow keys, Home and End move between
 * the tabs); the panels stay mounted, so a race keeps running while you look at the other view.
 */
export function ViewTabs({ view, onChange }: ViewTabsProps) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const move = (event: KeyboardEvent, index: number) => {
    const last = VIEWS.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? (index + 1) % VIEWS.length
        : event.key === 'ArrowLeft'
          ? (index + last) % VIEWS.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    if (next === null) return;
    event.preventDefault();
    const target = VIEWS[next];
    if (target) onChange(target.value);
    refs.current[next]?.focus();
  };
  return (
    <div className="view-switch" role="tablist" aria-label="View">
      {VIEWS.map((v, i) => (
        <button
          key={v.value}
          ref={(el) => {
            refs.current[i] = el;
          }}
          id={viewTabId(v.value)}
          type="button"
          role="tab"
          aria-selected={view === v.value}
          aria-controls={viewPanelId(v.value)}
          tabIndex={view === v.value ? 0 : -1}
          onKeyDown={(event) => move(event, i)}
          onClick={() => onChange(v.value)}
        >
          {v.label}
        </button>
      ))}
    </div>
  );
}
