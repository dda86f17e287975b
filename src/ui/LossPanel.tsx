import { LOSSES, type LossKind } from '../core/config.ts';
import { NumberField, SelectField } from './fields.tsx';
import { optionsOf } from '../core/displayNames.ts';
import { bind, type DraftForm } from './useConfigDraft.ts';

const LOSS_OPTIONS = optionsOf(LOSSES);

/** What training minimises: the loss on the softmax outputs plus weight penalties. */
export function LossPanel({ form }: { readonly form: DraftForm }) {
  return (
    <section className="panel" aria-labelledby="loss-heading">
      <h2 id="loss-heading">Loss</h2>
      <SelectField
        label="Loss"
        help="Compared between the softmax output and the label."
        options={LOSS_OPTIONS}
        {...bind<LossKind>(form, 'loss.kind')}
      />
      <NumberField
        label="L2"
        help="Penalty on Σw² of the weights, 0–1."
        step="0.0001"
        {...bind<string>(form, 'loss.l2')}
      />
      <NumberField
        label="L1"
        advanced
        help="Penalty on Σ|w| of the weights, 0–1."
        step="0.0001"
        {...bind<string>(form, 'loss.l1')}
      />
      <NumberField
        label="Label smoothing"
        advanced
        help="Moves this share of each target to the other classes, 0–0.5."
        step="0.05"
        {...bind<string>(form, 'loss.labelSmoothing')}
      />
    </section>
  );
}
