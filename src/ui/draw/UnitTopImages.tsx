import { useEffect } from 'react';
import type { Phase } from '../../client/runState.ts';
import type { TrainerSession } from '../../client/TrainerSession.ts';
import type { AnswerTo } from '../../worker/protocol.ts';
import { DigitCanvas } from '../DigitCanvas.tsx';
import { useNewestAnswer } from '../useNewestAnswer.ts';

interface UnitTopImagesProps {
  readonly layer: number;
  readonly unit: number;
  readonly request: TrainerSession['request'];
  /** The run's phase and epoch: new weights, so the scan is asked for again. */
  readonly phase: Phase;
  readonly epoch: number;
  /** Put test image `index` on the pad (the inspector then shows it); absent: thumbnails are plain. */
  readonly onPick?: (index: number) => void;
}

const formatActivation = (v: number) => (Math.abs(v) < 0.005 ? '0.00' : v.toFixed(2));

/**
 * The nine test images that activate one hidden unit most (for the current weights, from the
 * worker's scan of all 10,000), as a 3×3 grid of thumbnails with their true label and activation,
 * most activating first. A thumbnail is a button that puts its image on the pad.
 */
export function UnitTopImages({ layer, unit, request, phase, epoch, onPick }: UnitTopImagesProps) {
  const [answer, track] = useNewestAnswer<AnswerTo<'unit-top-images'>>();
  useEffect(() => {
    track(request({ type: 'unit-top-images', layer, unit }));
  }, [layer, unit, request, track, phase, epoch]);

  const top = answer?.answer.top;
  const current = top && top.layer === layer && top.unit === unit ? top : null;
  const title = `Test images that activate layer ${layer + 1}, unit ${unit} most`;
  if (current === null) {
    const missing = answer !== null && answer.answer.top === null;
    let note = 'Looking through the 10,000 test images…';
    if (missing && answer.answer.source === null)
      note = 'Train a model to see which test images excite this unit.';
    else if (missing) note = 'The current model has no such unit.';
    return (
      <p className="muted small" data-testid="unit-top-images-pending">
        {note}
      </p>
    );
  }
  return (
    <figure className="unit-top-images" data-testid="unit-top-images">
      <ol className="unit-top-grid" aria-label={title}>
        {Array.from(current.indices, (index, k) => {
          const label = current.labels[k] ?? 0;
          const activation = formatActivation(current.activations[k] ?? 0);
          const name = `Test image ${index.toLocaleString('en-US')}, label ${label}, activation ${activation}`;
          const thumbnail = (
            <DigitCanvas pixels={current.images.subarray(k * 784, (k + 1) * 784)} label={name} scale={2} />
          );
          return (
            <li key={index} data-activation={activation} data-index={index}>
              {onPick ? (
                <button
                  type="button"
                  className="unit-top-thumb"
                  aria-label={`${name}: show on the pad`}
                  title={`${name}: show on the pad`}
                  onClick={() => onPick(index)}
                >
                  {thumbnail}
                </button>
              ) : (
                thumbnail
              )}
              <span className="small" aria-hidden="true">
                {label} · {activation}
              </span>
            </li>
          );
        })}
      </ol>
      <figcaption className="muted small">
        {title} (of {current.scanned.toLocaleString('en-US')}; digit · activation)
      </figcaption>
    </figure>
  );
}
