import { useCallback, useMemo, useState } from 'react';
import { CLASS_COLORS } from '../../charts/classColors.ts';
import { ScatterChart } from '../../charts/ScatterChart.tsx';
import type { ActivePoint } from '../../charts/scatterView.ts';
import type { TestImages } from '../../client/runState.ts';
import { formatCount, formatPercent } from '../../core/format.ts';
import type { EpochAnalysis, PcaLayerView } from '../../worker/protocol.ts';
import { classCentroids, rowClasses } from './analysisModel.ts';
import { DigitTile } from './DigitGrid.tsx';
import { LabelledSelect } from '../LabelledControl.tsx';
import './analysis.css';
import './pca.css';

interface PcaViewProps {
  readonly analysis: EpochAnalysis;
  readonly test: TestImages;
}

/**
 * The chosen layer while the model has it; else the first hidden layer when there is one (more
 * telling than raw pixels), else the first layer.
 */
function layerName(layers: readonly PcaLayerView[], chosen: string | null): string {
  if (chosen !== null && layers.some((l) => l.name === chosen)) return chosen;
  return layers[layers.length > 2 ? 1 : 0]?.name ?? '';
}

/**
 * The 2-D PCA of a chosen layer's activations over ~2,000 fixed test images, coloured by digit:
 * how the network pulls the classes apart layer by layer and epoch by epoch. Hover or focus the
 * plot (arrow keys) to see a point's image; the legend highlights one digit.
 */
export function PcaView({ analysis, test }: PcaViewProps) {
  const { rows, layers } = analysis.pca;
  const [chosen, setChosen] = useState<string | null>(null);
  const [highlight, setHighlight] = useState<number | null>(null);
  const [active, setActive] = useState<ActivePoint | null>(null);
  const name = layerName(layers, chosen);
  const layer = layers.find((l) => l.name === name);

  const classes = useMemo(() => rowClasses(rows, test.labels), [rows, test.labels]);
  const data = useMemo(
    () => ({
      xy: layers.find((l) => l.name === name)?.projection ?? new Float32Array(),
      classes,
      colors: CLASS_COLORS,
    }),
    [layers, name, classes],
  );
  const centroids = useMemo(() => classCentroids(data.xy, classes), [data, classes]);
  const onActive = useCallback((point: ActivePoint | null) => setActive(point), []);
  if (!layer) return <p className="muted">No PCA for this epoch.</p>;

  const [pc1, pc2] = layer.explained;
  const explained = `PC1 ${formatPercent(pc1)}, PC2 ${formatPercent(pc2)}`;
  const activeRow = active === null ? null : (rows[active.index] ?? null);
  const activeLabel = activeRow === null ? null : (test.labels[activeRow] ?? 0);
  return (
    <div className="pca-view">
      <div className="view-toolbar">
        <LabelledSelect
          as="span"
          className="inline-field"
          label="Layer"
          tip="Whose activations to project: the input pixels, a hidden layer or the logits."
          value={name}
          options={layers.map((l) => ({ value: l.name, label: l.name }))}
          onChange={setChosen}
        />
        <span data-testid="pca-explained">
          Explained variance: {explained} (epoch {analysis.epoch})
        </span>
      </div>
      <ul className="class-legend" aria-label="Digits (press to highlight one)">
        {CLASS_COLORS.map((color, digit) => (
          <li key={digit}>
            <button
              type="button"
              aria-pressed={highlight === digit}
              onClick={() => setHighlight(highlight === digit ? null : digit)}
            >
              <span className="swatch round" style={{ background: color }} aria-hidden="true" />
              {digit}
            </button>
          </li>
        ))}
      </ul>
      <ScatterChart
        data={data}
        highlight={highlight}
        label={`PCA of ${layer.name} for ${formatCount(rows.length)} test images, coloured by digit. ${explained}. Arrow keys step through the points.`}
        onActive={onActive}
      >
        {active !== null && activeRow !== null ? (
          <div
            className="readout-box scatter-readout"
            style={{
              left: active.x,
              top: active.y,
              transform: active.flip ? 'translate(calc(-100% - 12px), -50%)' : 'translate(12px, -50%)',
            }}
          >
            <DigitTile images={test.images} index={activeRow} label={`Digit ${activeLabel}`} scale={2} />
            <span>
              <strong>{activeLabel}</strong>
              <br />
              <span className="muted">test #{activeRow}</span>
            </span>
          </div>
        ) : null}
      </ScatterChart>
      <p className="sr-only" aria-live="polite">
        {activeRow === null
          ? ''
          : `Point ${(active?.index ?? 0) + 1}: a ${activeLabel}, test image ${activeRow}`}
      </p>
      <details className="text-alternative">
        <summary>Table: where each digit's points sit (centroids)</summary>
        <table>
          <caption className="sr-only">Mean PC1 and PC2 of each digit, {layer.name}</caption>
          <thead>
            <tr>
              <th scope="col">Digit</th>
              <th scope="col">Points</th>
              <th scope="col">Mean PC1</th>
              <th scope="col">Mean PC2</th>
            </tr>
          </thead>
          <tbody>
            {centroids.map((c) => (
              <tr key={c.label}>
                <th scope="row">{c.label}</th>
                <td>{c.count}</td>
                <td>{Number.isNaN(c.x) ? '–' : c.x.toFixed(2)}</td>
                <td>{Number.isNaN(c.y) ? '–' : c.y.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
