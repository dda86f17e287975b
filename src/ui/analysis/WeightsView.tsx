import { useMemo } from 'react';
import { DIVERGING_STOPS } from '../../charts/classColors.ts';
import type { EpochAnalysis } from '../../worker/protocol.ts';
import { DigitGrid } from './DigitGrid.tsx';
import './weights.css';

const COLUMNS = 8;

/**
 * The first hidden layer's incoming weights, one 28×28 image per unit: the pixel patterns each
 * unit responds to (red: brighter pixel raises its input, blue: lowers it).
 */
export function WeightsView({ analysis }: { readonly analysis: EpochAnalysis }) {
  const weights = analysis.weights;
  const source = useMemo(
    () => (weights ? { kind: 'weights' as const, values: weights.values, units: weights.units } : null),
    [weights],
  );
  if (source === null) {
    return <p className="muted">This model has no hidden layer: the inputs go straight to the outputs.</p>;
  }
  const gradient = `linear-gradient(to right, ${DIVERGING_STOPS.join(', ')})`;
  return (
    <div className="weights-view">
      <p className="muted">
        Incoming weights of the first {source.units} units of the first hidden layer after epoch{' '}
        {analysis.epoch}, each scaled to its own largest |w|.
      </p>
      <DigitGrid
        source={source}
        columns={COLUMNS}
        scale={2}
        label={`Weights of ${source.units} first-layer units as 28×28 images after epoch ${analysis.epoch}: red positive, blue negative, white near zero`}
      />
      <div className="color-bar" aria-hidden="true">
        <span>−max |w|</span>
        <span className="color-bar-ramp" style={{ background: gradient }} />
        <span>+max |w|</span>
      </div>
    </div>
  );
}
