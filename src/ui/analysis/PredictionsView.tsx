import type { TestImages } from '../../client/runState.ts';
import type { EpochAnalysis } from '../../worker/protocol.ts';
import { DigitTile } from './DigitGrid.tsx';
import './tiles.css';

export const PREDICTION_COUNT = 40;
const FIRST = Array.from({ length: PREDICTION_COUNT }, (_, i) => i);

interface PredictionsViewProps {
  readonly analysis: EpochAnalysis;
  readonly test: TestImages;
}

/** The first test images with the network's answer: a tick or a cross, and the words, not only a colour. */
export function PredictionsView({ analysis, test }: PredictionsViewProps) {
  const rows = FIRST.filter((i) => i < test.labels.length);
  const correct = rows.filter((i) => analysis.predicted[i] === test.labels[i]).length;
  return (
    <div>
      <p className="muted">
        The first {rows.length} test images after epoch {analysis.epoch}: {correct} of {rows.length} right.
      </p>
      <ul className="tile-grid" aria-label={`Predictions on the first ${rows.length} test images`}>
        {rows.map((i) => {
          const truth = test.labels[i] ?? 0;
          const guess = analysis.predicted[i] ?? 0;
          const right = guess === truth;
          const text = right ? `✓ ${guess}` : `✗ ${guess}, true ${truth}`;
          return (
            <li
              key={i}
              className={right ? 'tile right' : 'tile wrong'}
              data-true={truth}
              data-predicted={guess}
            >
              <DigitTile images={test.images} index={i} label={`Test image ${i}, a ${truth}`} scale={1.5} />
              <span className="tile-caption">
                <span aria-hidden="true">{text}</span>
                <span className="sr-only">
                  {right ? `Predicted ${guess}, correct` : `Predicted ${guess}, wrong: it is a ${truth}`}
                </span>
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
