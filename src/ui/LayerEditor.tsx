import { MAX_HIDDEN_LAYERS, type Activation } from '../core/config.ts';
import { CheckboxField, NumberField, SelectField } from './fields.tsx';
import { ACTIVATION_NAMES, optionsOf } from './labels.ts';
import { bind, type DraftForm } from './useConfigDraft.ts';

const ACTIVATION_OPTIONS = optionsOf(ACTIVATION_NAMES);

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
        <button
          type="button"
          className="icon"
          aria-label={`Move layer ${n} up`}
          title="Move up"
          disabled={form.disabled || index === 0}
          onClick={() => form.moveLayer(index, -1)}
        >
          ↑
        </button>
        <button
          type="button"
          className="icon"
          aria-label={`Move layer ${n} down`}
          title="Move down"
          disabled={form.disabled || index === count - 1}
          onClick={() => form.moveLayer(index, 1)}
        >
          ↓
        </button>
        <button
          type="button"
          className="icon"
          aria-label={`Remove layer ${n}`}
          title="Remove"
          disabled={form.disabled}
          onClick={() => form.removeLayer(index)}
        >
          ✕
        </button>
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
      <button
        type="button"
        onClick={form.addLayer}
        disabled={form.disabled || layers.length >= MAX_HIDDEN_LAYERS}
        title={layers.length >= MAX_HIDDEN_LAYERS ? `At most ${MAX_HIDDEN_LAYERS} hidden layers` : undefined}
      >
        Add layer
      </button>
    </div>
  );
}
