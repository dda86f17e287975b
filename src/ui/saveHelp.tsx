import type { ReactElement } from 'react';
import { HelpTip } from './HelpTip.tsx';

/** Wraps a chart's "Save PNG" button in its help tip (charts cannot import src/ui themselves). */
export const withSaveHelp = (button: ReactElement<{ 'aria-describedby'?: string }>) => (
  <HelpTip
    text="Save this chart, title and legend included, as a PNG image."
    className="compare-chart-save-anchor"
  >
    {button}
  </HelpTip>
);
