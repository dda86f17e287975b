import type { TestImages } from '../../client/runState.ts';
import { formatPercent } from '../../core/format.ts';
import type { EpochAnalysis } from '../../worker/protocol.ts';
import { DigitTile } from './DigitGrid.tsx';
import './tiles.css';

interface MisclassifiedViewProps {
  readonly analysis: EpochAnalysis;
  readonly test: TestImages;
}

/** The test images the network gets wrong while most sure of itself, with its top-3 guesses. */
export function MisclassifiedView({ analysis, test }: MisclassifiedViewProps) {
  const wrong = analysis.misclassified;
  if (wrong.length === 0) {
    return <p className="muted">No test image is misclassified after epoch {analysis.epoch}.</p>;
  }
  return (
    <div>
      <p className="muted">
        The {wrong.length} most confidently wrong test images after epoch {analysis.epoch}, most confident
        first.
      </p>
      <ol className="tile-grid misclassified" aria-label="Most confidently misclassified test images">
        {wrong.map((m) => (
          <li
            key={m.index}
            className="tile wrong wide"
            data-true={m.trueLabel}
            data-predicted={m.predicted}
            data-testid="misclassified"
          >
            <DigitTile
              images={test.images}
              index={m.index}
              label={`Test image ${m.index}, a ${m.trueLabel}`}
              scale={2}
            />
            <div className="tile-caption">
              <div>
                <span aria-hidden="true">✗ </span>
                predicted <strong>{m.predicted}</strong>, true <strong>{m.trueLabel}</strong>
              </div>
              <div className="muted">{formatPercent(m.confidence)} sure</div>
              <ol className="top3" aria-label="Top 3 probabilities">
                {m.top3.map((t) => (
                  <li key={t.label}>
                    <span className="top3-label">{t.label}</span>
                    <span className="top3-bar" aria-hidden="true">
                      <span style={{ width: `${Math.round(t.probability * 100)}%` }} />
                    </span>
                    <span>{formatPercent(t.probability)}</span>
                  </li>
                ))}
              </ol>
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
