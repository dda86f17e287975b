import { DIVERGING_TABLE } from '../../charts/classColors.ts';
import { divergingEntry } from '../../core/neuronInspector.ts';

/** CSS colour of `value` on the page's blue–white–red ramp, scaled to ±`scale` (see `divergingEntry`). */
export function divergingCss(value: number, scale: number): string {
  const entry = divergingEntry(value, scale);
  const channel = (c: number) => DIVERGING_TABLE[3 * entry + c] ?? 0;
  return `rgb(${channel(0)} ${channel(1)} ${channel(2)})`;
}
