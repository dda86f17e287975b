import type { RefObject } from 'react';
import type { PredictionView } from '../../client/TrainerSession.ts';
import './draw.css';

interface PredictionReadoutProps {
  readonly hasInput: boolean;
  readonly prediction: PredictionView | null;
  readonly latencyRef: RefObject<HTMLElement | null>;
}

const percent = (p: number) => `${(100 * p).toFixed(p >= 0.995 || p < 0.001 ? 0 : 1)}%`;

function sourceText(prediction: PredictionView): string {
  const epoch = prediction.epoch === null ? '' : `, epoch ${prediction.epoch}`;
  if (prediction.source === 'training') return `Weights of the model in training${epoch}.`;
  if (prediction.source === 'loaded')
    return `Weights of the loaded model (saved at epoch ${prediction.epoch ?? '?'}).`;
  return `Weights of the last finished run${epoch}.`;
}

/** "Prediction: 7 (93%)" and one bar per digit, a list screen readers read as text. */
export function PredictionReadout({ hasInput, prediction, latencyRef }: PredictionReadoutProps) {
  let body;
  if (!hasInput) {
    body = <p className="draw-hint">Draw a digit with the mouse, a finger or a pen.</p>;
  } else if (prediction === null) {
    body = <p className="draw-hint">Predicting…</p>;
  } else if (prediction.probabilities === null) {
    body = (
      <p className="draw-hint" data-testid="no-model">
        No trained model yet: press Train. Predictions use the latest weights, also while training.
      </p>
    );
  } else {
    const probabilities = [...prediction.probabilities];
    const top = probabilities.reduce((best, p, digit) => (p > (probabilities[best] ?? 0) ? digit : best), 0);
    body = (
      <>
        <p className="prediction-top" data-testid="prediction">
          Prediction: <strong>{top}</strong> ({percent(probabilities[top] ?? 0)})
        </p>
        <ol className="prob-bars" aria-label="Probability of each digit">
          {probabilities.map((p, digit) => (
            <li
              key={digit}
              className={digit === top ? 'top' : undefined}
              aria-label={`${digit}: ${percent(p)}`}
            >
              <span className="prob-digit">{digit}</span>
              <span className="prob-track">
                <span className="prob-bar" style={{ width: `${(100 * p).toFixed(1)}%` }} />
              </span>
              <span className="prob-value">{percent(p)}</span>
            </li>
          ))}
        </ol>
        <p className="muted small">{sourceText(prediction)}</p>
      </>
    );
  }
  return (
    <div className="prediction-readout" aria-live="polite">
      {body}
      <p
        className="muted small"
        hidden={!hasInput}
        ref={latencyRef as RefObject<HTMLParagraphElement | null>}
        data-testid="latency"
      />
    </div>
  );
}
