import { ACTIVATIONS, MAX_HIDDEN_LAYERS, type Activation } from '../core/config.ts';
import { CheckboxField, NumberField, SelectField } from './fields.tsx';
import { HelpTip } from './HelpTip.tsx';
import { optionsOf } from '../core/displayNames.ts';
import { bind, type DraftForm } from './useConfigDraft.ts';
import './modelPanel.css';

const ACTIVATION_OPTIONS = optionsOf(ACTIVATIONS);

interface LayerRowProps {
  readonly form: DraftForm;
  readonly index: number;
  readonly count: number;
}

/** One hidden layer, edited in place, with its remove and move buttons. */
function LayerRow({ form, index, count }: LayerRowProps) {
  const path = `model.hiddenLayers.${index}`;
  const n = index + 1;
  return (
    <fieldset className="layer-row" aria-label={`Layer ${n}`}>
      <legend>Layer {n}</legend>
      <div className="layer-buttons">
        <HelpTip text="Move this layer one place towards the input.">
          <button
            type="button"
            className="icon"
            aria-label={`Move layer ${n} up`}
            disabled={form.disabled || index === 0}
            onClick={() => form.moveLayer(index, -1)}
          >
            ↑
          </button>
        </HelpTip>
        <HelpTip text="Move this layer one place towards the output.">
          <button
            type="button"
            className="icon"
            aria-label={`Move layer ${n} down`}
            disabled={form.disabled || index === count - 1}
            onClick={() => form.moveLayer(index, 1)}
          >
            ↓
          </button>
        </HelpTip>
        <HelpTip text="Remove this layer.">
          <button
            type="button"
            className="icon"
            aria-label={`Remove layer ${n}`}
            disabled={form.disabled}
            onClick={() => form.removeLayer(index)}
          >
            ✕
          </button>
        </HelpTip>
      </div>
      <NumberField label="Units" help="Neurons, 1–4096." step="1" {...bind<string>(form, `${path}.units`)} />
      <SelectField
        label="Activation"
        help="After the layer."
        options={ACTIVATION_OPTIONS}
        {...bind<Activation>(form, `${path}.activation`)}
      />
      <NumberField
        label="Dropout"
        help="Outputs zeroed in training, 0–0.9."
        step="0.05"
        {...bind<string>(form, `${path}.dropout`)}
      />
      <CheckboxField
        label="Batch norm"
        help="Before the activation."
        {...bind<boolean>(form, `${path}.batchNorm`)}
      />
    </fieldset>
  );
}

/** The hidden layers: 0 to 8 rows, added at the end, removable and reorderable. */
export function LayerEditor({ form }: { readonly form: DraftForm }) {
  const layers = form.draft.model.hiddenLayers;
  const layersError = form.errors['model.hiddenLayers'];
  return (
    <div className="layers">
      {layers.map((layer, index) => (
        <LayerRow key={layer.key} form={form} index={index} count={layers.length} />
      ))}
      {layersError ? <p className="field-error">{layersError}</p> : null}
      <HelpTip text={`Add a hidden layer before the output (at most ${MAX_HIDDEN_LAYERS}).`}>
        <button
          type="button"
          onClick={form.addLayer}
          disabled={form.disabled || layers.length >= MAX_HIDDEN_LAYERS}
        >
          Add layer
        </button>
      </HelpTip>
    </div>
  );
}
