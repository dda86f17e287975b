import { useId, useMemo, useState } from 'react';
import { mix, whiteTextOnMix } from '../../charts/classColors.ts';
import type { TestImages } from '../../client/runState.ts';
import { classRates, matrixAccuracy, type ConfusionMatrix } from '../../core/confusion.ts';
import { formatCount, formatPercent } from '../../core/format.ts';
import { MNIST_CLASSES } from '../../core/idx.ts';
import type { EpochAnalysis } from '../../worker/protocol.ts';
import { cellStrength, shownIndex } from './analysisModel.ts';
import { PairGallery } from './PairGallery.tsx';
import { LabelledControl } from '../LabelledControl.tsx';
import './analysis.css';
import './confusion.css';

/** Tol BuRd's ends: blue for the diagonal (right), red for the off-diagonal (wrong). */
const RIGHT = '#2166AC';
const WRONG = '#B2182B';
const CLASSES = Array.from({ length: MNIST_CLASSES }, (_, i) => i);

interface ConfusionViewProps {
  readonly analyses: readonly EpochAnalysis[];
  readonly test: TestImages;
}

interface Pair {
  readonly trueClass: number;
  readonly predicted: number;
}

const rate = (v: number) => (Number.isNaN(v) ? '–' : formatPercent(v));

/**
 * The confusion matrix of the test set as a real table, tinted as a heat map (blue diagonal, red
 * errors, counts always written), with recall per row and precision per column. The slider goes
 * back through the epochs; a cell's button shows its images below.
 */
export function ConfusionView({ analyses, test }: ConfusionViewProps) {
  // The slider's position, tied to the run it was set in (a new run follows the latest again).
  const [pin, setPin] = useState<{ readonly run: EpochAnalysis; readonly index: number } | null>(null);
  const [pair, setPair] = useState<Pair | null>(null);
  const sliderId = useId();
  const first = analyses[0];
  const index = shownIndex(pin !== null && pin.run === first ? pin.index : null, analyses.length);
  const analysis = analyses[index];
  const matrix: ConfusionMatrix | null = useMemo(
    () => (analysis ? { classes: MNIST_CLASSES, counts: analysis.confusion } : null),
    [analysis],
  );
  if (!analysis || !matrix || !first) return null;
  // Epochs overtaken while their analysis waited are never analysed: count by epoch, not by slot.
  const latestEpoch = analyses.at(-1)?.epoch ?? analysis.epoch;
  const rates = classRates(matrix);
  const total = analysis.confusion.reduce((sum, v) => sum + v, 0);

  const moveSlider = (value: number) => {
    const next = value - 1;
    setPin(next >= analyses.length - 1 ? null : { run: first, index: next });
  };

  return (
    <div className="confusion-view">
      <div className="view-toolbar">
        <LabelledControl
          as="span"
          className="epoch-slider"
          id={sliderId}
          label="Epoch"
          tip="Go back to the matrix after an earlier epoch."
          control={
            <input
              id={sliderId}
              type="range"
              min={1}
              max={analyses.length}
              step={1}
              value={index + 1}
              disabled={analyses.length < 2}
              aria-valuetext={`Epoch ${analysis.epoch} of ${latestEpoch}`}
              onChange={(e) => moveSlider(Number(e.target.value))}
            />
          }
        >
          <output htmlFor={sliderId}>
            {analysis.epoch} / {latestEpoch}
            {index === analyses.length - 1 ? ' (latest)' : ''}
          </output>
        </LabelledControl>
        <span className="muted">
          Accuracy {rate(matrixAccuracy(matrix))} on {formatCount(total)} test images
        </span>
      </div>
      <div className="table-scroll" role="region" aria-label="Confusion matrix table" tabIndex={0}>
        <table className="confusion" data-total={total}>
          <caption className="sr-only">
            Confusion matrix after epoch {analysis.epoch}: rows are the true digit, columns the predicted
            digit; each cell counts test images. Recall per row, precision per column.
          </caption>
          <thead>
            <tr>
              <th scope="col" className="corner">
                <span aria-hidden="true">true ↓ predicted →</span>
                <span className="sr-only">True digit</span>
              </th>
              {CLASSES.map((p) => (
                <th key={p} scope="col">
                  <span className="sr-only">Predicted </span>
                  {p}
                </th>
              ))}
              <th scope="col">Recall</th>
            </tr>
          </thead>
          <tbody>
            {CLASSES.map((t) => {
              const rowTotal = rates[t]?.support ?? 0;
              return (
                <tr key={t}>
                  <th scope="row">
                    <span className="sr-only">True </span>
                    {t}
                  </th>
                  {CLASSES.map((p) => {
                    const count = analysis.confusion[t * MNIST_CLASSES + p] ?? 0;
                    const diagonal = t === p;
                    const strength = cellStrength(count, rowTotal, diagonal);
                    const selected = pair?.trueClass === t && pair.predicted === p;
                    return (
                      <td
                        key={p}
                        className={`confusion-cell${diagonal ? ' diagonal' : ''}${count > 0 && whiteTextOnMix(diagonal ? RIGHT : WRONG, strength) ? ' dark' : ''}`}
                        data-count={count}
                        data-true={t}
                        data-predicted={p}
                        style={{
                          background: count > 0 ? mix(diagonal ? RIGHT : WRONG, strength) : undefined,
                        }}
                      >
                        <button
                          type="button"
                          aria-pressed={selected}
                          aria-label={`True ${t}, predicted ${p}: ${count} images`}
                          onClick={() => setPair(selected ? null : { trueClass: t, predicted: p })}
                        >
                          {count}
                        </button>
                      </td>
                    );
                  })}
                  <td className="rate">{rate(rates[t]?.recall ?? Number.NaN)}</td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Precision</th>
              {CLASSES.map((p) => (
                <td key={p} className="rate">
                  {rate(rates[p]?.precision ?? Number.NaN)}
                </td>
              ))}
              <td />
            </tr>
          </tfoot>
        </table>
      </div>
      <p className="muted legend-line">
        <span className="swatch" style={{ background: RIGHT }} aria-hidden="true" /> right (diagonal, bold)
        <span className="swatch" style={{ background: WRONG }} aria-hidden="true" /> wrong; darker = larger
        share of the true digit. Click a cell to see its images.
      </p>
      {pair ? (
        <PairGallery
          test={test}
          predicted={analysis.predicted}
          epoch={analysis.epoch}
          trueClass={pair.trueClass}
          predictedClass={pair.predicted}
          onClose={() => setPair(null)}
        />
      ) : null}
    </div>
  );
}
