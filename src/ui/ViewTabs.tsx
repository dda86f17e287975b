import type { View } from '../core/urlState.ts';
import { TabList, type Tab } from './TabList.tsx';

export const viewPanelId = (view: View) => `view-panel-${view}`;
export const viewTabId = (view: View) => `view-tab-${view}`;

const tab = (value: View, label: string): Tab<View> => ({
  value,
  label,
  tabId: viewTabId(value),
  panelId: viewPanelId(value),
});
const VIEWS: readonly Tab<View>[] = [tab('train', 'Train'), tab('compare', 'Compare')];

interface ViewTabsProps {
  readonly view: View;
  readonly onChange: (view: View) => void;
}

/**
 * Train one model, or compare runs: a WAI-ARIA tab list (arrow keys, Home and End move between
 * the tabs); the panels stay mounted, so a race keeps running while you look at the other view.
 */
export function ViewTabs({ view, onChange }: ViewTabsProps) {
  return <TabList className="view-switch" label="View" tabs={VIEWS} selected={view} onSelect={onChange} />;
}
