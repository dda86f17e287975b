import {
  configParameterCount,
  DEFAULT_CONFIG,
  INITIALIZERS,
  layerSizes,
  type Initializer,
  type TrainingConfig,
} from '../core/config.ts';
import { formatCount } from '../core/format.ts';
import { NumberField, SelectField } from './fields.tsx';
import { toNumber, type FormDraft } from './formDraft.ts';
import { displayName, optionsOf } from '../core/displayNames.ts';
import { LayerEditor } from './LayerEditor.tsx';
import { bind, type DraftForm } from './useConfigDraft.ts';
import './modelPanel.css';

/** Parameters of the model as typed so far; null while a layer's width is not a whole number. */
function draftParameterCount(draft: FormDraft): number | null {
  const hiddenLayers = draft.model.hiddenLayers.map((l) => ({
    ...DEFAULT_CONFIG.model.hiddenLayers[0]!,
    units: toNumber(l.units),
    batchNorm: l.batchNorm,
  }));
  if (hiddenLayers.some((l) => !Number.isInteger(l.units) || l.units < 1)) return null;
  const config: TrainingConfig = { ...DEFAULT_CONFIG, model: { ...DEFAULT_CONFIG.model, hiddenLayers } };
  return configParameterCount(config);
}

function Architecture({ draft }: { readonly draft: FormDraft }) {
  const layers = draft.model.hiddenLayers;
  const sizes = layerSizes({
    ...DEFAULT_CONFIG,
    model: {
      ...DEFAULT_CONFIG.model,
      hiddenLayers: layers.map((l) => ({ ...l, units: toNumber(l.units), dropout: 0 })),
    },
  });
  return (
    <p className="architecture" role="group" aria-label="Architecture">
      {sizes.map((size, i) => {
        const kind =
          i === 0 ? 'input' : i === sizes.length - 1 ? 'softmax' : displayName(layers[i - 1]!.activation);
        return (
          <span key={i} className="layer-chip">
            {Number.isFinite(size) ? size : '?'} <small>{kind}</small>
          </span>
        );
      })}
    </p>
  );
}

const INIT_OPTIONS = optionsOf(INITIALIZERS);

/** The network: its hidden layers, input dropout and weight initialisation, and its size. */
export function ModelPanel({ form }: { readonly form: DraftForm }) {
  const count = draftParameterCount(form.draft);
  const regression = form.draft.model.hiddenLayers.length === 0;
  return (
    <section className="panel" aria-labelledby="model-heading">
      <h2 id="model-heading">Model</h2>
      <Architecture draft={form.draft} />
      <p className="param-count" data-testid="parameter-count">
        {count === null ? '— parameters' : `${formatCount(count)} parameters`}
        {regression ? ' · softmax regression (no hidden layers)' : ''}
      </p>
      <LayerEditor form={form} />
      <NumberField
        label="Input dropout"
        advanced
        help="Share of input pixels zeroed in training, 0–0.9."
        step="0.05"
        {...bind<string>(form, 'model.inputDropout')}
      />
      <SelectField
        label="Weight initialisation"
        advanced
        help="How the starting weights are drawn (with the seed)."
        options={INIT_OPTIONS}
        {...bind<Initializer>(form, 'model.init')}
      />
    </section>
  );
}
