import { EXTRA_REPEAT, MAX_EXTRA_ROWS } from '../core/extraTraining.ts';
import { formatCount } from '../core/format.ts';
import { CheckboxField, NumberField } from './fields.tsx';
import type { MixMyDigits } from './useMixMyDigits.ts';

/** Why the option cannot be switched on, or null. */
function disabledReason(mix: MixMyDigits): string | null {
  if (mix.unavailable !== null) return `My digits cannot be read here: ${mix.unavailable}`;
  if (mix.digits === null) return 'Reading My digits…';
  if (mix.digits.length === 0)
    return 'No My digits yet: draw a digit on the pad, label it and press "Add to My digits".';
  return null;
}

/** "adds 12 drawings, each ×10: 120 training examples" */
function addsText(drawings: number, repeat: number): string {
  const what = drawings === 1 ? 'drawing' : 'drawings';
  return `Adds ${formatCount(drawings)} ${what}, each ×${repeat}: ${formatCount(drawings * repeat)} training examples, shuffled in with the seed.`;
}

/**
 * "Mix My digits into training" and how often each drawing repeats. Page state, not config: the
 * drawings live in this browser, so links, config files and comparisons never carry them.
 */
export function MixMyDigitsFields({ mix }: { readonly mix: MixMyDigits }) {
  const reason = disabledReason(mix);
  const drawings = mix.digits?.length ?? 0;
  const capped = drawings * mix.repeat >= MAX_EXTRA_ROWS && drawings > 0;
  return (
    <>
      <CheckboxField
        label="Mix My digits into training"
        help={
          reason ??
          `${addsText(drawings, mix.repeat)} Train view only (not in links, comparisons or the finder).`
        }
        value={mix.enabled}
        disabled={reason !== null}
        onChange={mix.setEnabled}
      />
      <NumberField
        label="Repeat each drawing"
        help={`×${EXTRA_REPEAT.min}–${EXTRA_REPEAT.max}. A dozen drawings among tens of thousands of MNIST images would barely count; repeating each lets them weigh in (too often and the model memorises them).${capped ? ` Capped at ×${mix.repeat} to keep within ${formatCount(MAX_EXTRA_ROWS)} rows.` : ''}`}
        step="1"
        min={EXTRA_REPEAT.min}
        max={EXTRA_REPEAT.max}
        value={mix.repeatText}
        error={mix.problem ?? undefined}
        disabled={!mix.enabled}
        onChange={mix.setRepeatText}
      />
    </>
  );
}
