import { useEffect, useMemo, useState } from 'react';
import type { Phase } from '../../client/runState.ts';
import type { PredictionView, TrainerSession } from '../../client/TrainerSession.ts';
import { maxAbs, sampleUnits } from '../../core/neuronInspector.ts';
import { DigitGrid } from '../analysis/DigitGrid.tsx';
import { useNewestAnswer } from '../useNewestAnswer.ts';
import { divergingCss } from './neuronColour.ts';
import { UnitTopImages } from './UnitTopImages.tsx';
import './neuronInspector.css';

interface NeuronInspectorProps {
  /** Per hidden layer its `[units]` outputs, then the `[10]` logits (the pad's prediction). */
  readonly activations: readonly Float32Array[] | null;
  /** The 28×28 input the activations are for (null: nothing drawn or picked). */
  readonly input: Uint8Array | null;
  readonly request: TrainerSession['request'];
  readonly phase: Phase;
  readonly epoch: number;
  /** Put test image `index` on the pad (a top-activating thumbnail was clicked). */
  readonly onPickTestImage?: (index: number) => void;
}

interface Selected {
  readonly layer: number;
  readonly unit: number;
}

const format = (v: number) => (Math.abs(v) < 0.005 ? '0.00' : v.toFixed(2));

/** The five incoming weights of largest magnitude, as indices into `weights`. */
function strongestIncoming(weights: Float32Array): number[] {
  const order = Array.from(weights.keys()).sort(
    (a, b) => Math.abs(weights[b] ?? 0) - Math.abs(weights[a] ?? 0),
  );
  return order.slice(0, 5);
}

/** A column's title: "Layer 1 · 128 units, 16 shown" or "Output (logits)". */
function columnTitle(layer: number, isOutput: boolean, count: number, shown: number): string {
  if (isOutput) return 'Output (logits)';
  return `Layer ${layer + 1} · ${count} units${shown < count ? `, ${shown} shown` : ''}`;
}

/**
 * The network as columns of units lit by their activations for the pad's digit (red positive, blue
 * negative, each column on its own scale; wide layers sampled evenly). A unit is a button: click or
 * focus it for its incoming weights (a 28×28 image in the first layer) and its contribution to
 * each logit, asked of the worker with the same `predict` request, and the nine test images that
 * activate it most (`unit-top-images`, which does not depend on the pad).
 */
export function NeuronInspector({
  activations,
  input,
  request,
  phase,
  epoch,
  onPickTestImage,
}: NeuronInspectorProps) {
  const [selected, setSelected] = useState<Selected | null>(null);
  const [detail, track] = useNewestAnswer<PredictionView>();
  const hiddenLayers = activations ? activations.length - 1 : 0;
  const current = selected !== null && selected.layer < hiddenLayers ? selected : null;

  const currentLayer = current?.layer ?? -1;
  const currentUnit = current?.unit ?? -1;
  // Ask again when the unit, the input or the weights (a new epoch, the run's phase) change.
  useEffect(() => {
    if (currentLayer < 0 || input === null) return;
    const unit = { layer: currentLayer, unit: currentUnit };
    track(request({ type: 'predict', pixels: input.slice(), unit }));
  }, [currentLayer, currentUnit, input, request, track, phase, epoch]);

  const columns = useMemo(
    () =>
      (activations ?? []).map((values, layer) => ({
        layer,
        values,
        shown: sampleUnits(values.length),
        scale: maxAbs(values),
        isOutput: layer === (activations?.length ?? 0) - 1,
      })),
    [activations],
  );

  if (activations === null || input === null) {
    return (
      <section className="neuron-inspector" aria-label="Neuron inspector" data-testid="neuron-inspector">
        <h3>Inside the network</h3>
        <p className="muted small">
          Draw a digit or pick a test image (after training) to see the units light up.
        </p>
      </section>
    );
  }
  const unitDetail = current !== null ? detail?.answer.unit : null;
  const shownDetail =
    unitDetail && current && unitDetail.layer === current.layer && unitDetail.unit === current.unit
      ? unitDetail
      : null;
  return (
    <section className="neuron-inspector" aria-label="Neuron inspector" data-testid="neuron-inspector">
      <h3>Inside the network</h3>
      <p className="muted small">
        Units lit by their activation for this input: red positive, blue negative, white near zero (each
        column on its own scale). Click or focus a hidden unit to look inside it.
      </p>
      <div className="neuron-columns">
        {columns.map(({ layer, values, shown, scale, isOutput }) => {
          const title = columnTitle(layer, isOutput, values.length, shown.length);
          const strongest = [...shown].sort((a, b) => (values[b] ?? 0) - (values[a] ?? 0)).slice(0, 3);
          return (
            <div className="neuron-column" key={layer} role="group" aria-label={title}>
              <div className="neuron-column-title small">{title}</div>
              <ul className="neuron-units">
                {shown.map((unit) => {
                  const value = values[unit] ?? 0;
                  const name = isOutput ? `Digit ${unit}` : `Layer ${layer + 1}, unit ${unit}`;
                  const label = `${name}: ${isOutput ? 'logit' : 'activation'} ${format(value)}`;
                  const style = { background: divergingCss(value, scale) };
                  return (
                    <li key={unit}>
                      {isOutput ? (
                        <>
                          <span
                            className="neuron-unit"
                            style={style}
                            title={label}
                            aria-label={label}
                            role="img"
                            data-activation={format(value)}
                          />
                          <span className="neuron-digit small" aria-hidden="true">
                            {unit}
                          </span>
                        </>
                      ) : (
                        <button
                          type="button"
                          className="neuron-unit"
                          style={style}
                          title={label}
                          aria-label={label}
                          aria-pressed={current?.layer === layer && current.unit === unit}
                          data-activation={format(value)}
                          onClick={() => setSelected({ layer, unit })}
                          onFocus={() => setSelected({ layer, unit })}
                        />
                      )}
                    </li>
                  );
                })}
              </ul>
              <p className="sr-only">
                Strongest shown:{' '}
                {strongest
                  .map((u) => `${isOutput ? 'digit' : 'unit'} ${u} (${format(values[u] ?? 0)})`)
                  .join(', ')}
              </p>
            </div>
          );
        })}
      </div>
      {current !== null && (
        <div className="neuron-detail" data-testid="neuron-detail" aria-live="polite">
          <h4>
            Layer {current.layer + 1}, unit {current.unit}: activation{' '}
            {format(activations[current.layer]?.[current.unit] ?? 0)}
          </h4>
          {shownDetail ? (
            <div className="neuron-detail-body">
              {current.layer === 0 ? (
                <figure>
                  <DigitGrid
                    source={{ kind: 'weights', values: shownDetail.incoming, units: 1 }}
                    columns={1}
                    scale={4}
                    label={`Incoming weights of layer 1, unit ${current.unit}, as a 28×28 image: red positive, blue negative`}
                  />
                  <figcaption className="muted small">
                    Incoming weights: the 28×28 pattern it looks for
                  </figcaption>
                </figure>
              ) : (
                <p className="small" data-testid="neuron-incoming">
                  Strongest of its {shownDetail.incoming.length} incoming weights:{' '}
                  {strongestIncoming(shownDetail.incoming)
                    .map(
                      (i) =>
                        `from layer ${current.layer} unit ${i} (${format(shownDetail.incoming[i] ?? 0)})`,
                    )
                    .join(', ')}
                </p>
              )}
              <table className="neuron-contributions small">
                <caption>
                  Contribution to each output (logit change if silenced; activation × weight in the last
                  hidden layer)
                </caption>
                <tbody>
                  {Array.from(shownDetail.contributions, (c, digit) => (
                    <tr key={digit}>
                      <th scope="row">{digit}</th>
                      <td>
                        <span
                          className="neuron-swatch"
                          style={{ background: divergingCss(c, maxAbs(shownDetail.contributions)) }}
                          aria-hidden="true"
                        />
                        {c >= 0 ? '+' : ''}
                        {format(c)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="muted small">Asking the model…</p>
          )}
          <UnitTopImages
            layer={current.layer}
            unit={current.unit}
            request={request}
            phase={phase}
            epoch={epoch}
            {...(onPickTestImage ? { onPick: onPickTestImage } : {})}
          />
        </div>
      )}
    </section>
  );
}
