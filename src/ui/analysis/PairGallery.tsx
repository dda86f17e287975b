import { useMemo } from 'react';
import type { TestImages } from '../../client/runState.ts';
import { formatCount } from '../../core/format.ts';
import { pairIndices } from './analysisModel.ts';
import { DigitTile } from './DigitGrid.tsx';
import { HelpTip } from '../HelpTip.tsx';
import './analysis.css';
import './tiles.css';

export const GALLERY_LIMIT = 48;

interface PairGalleryProps {
  readonly test: TestImages;
  /** `[10000]` predictions of the epoch shown. */
  readonly predicted: Uint8Array;
  readonly epoch: number;
  readonly trueClass: number;
  readonly predictedClass: number;
  readonly onClose: () => void;
}

/** The test images of one confusion-matrix cell: true `trueClass`, predicted `predictedClass`. */
export function PairGallery({
  test,
  predicted,
  epoch,
  trueClass,
  predictedClass,
  onClose,
}: PairGalleryProps) {
  const { indices, total } = useMemo(
    () => pairIndices(test.labels, predicted, trueClass, predictedClass, GALLERY_LIMIT),
    [test.labels, predicted, trueClass, predictedClass],
  );
  const title = `True ${trueClass}, predicted ${predictedClass}`;
  return (
    <section className="pair-gallery" aria-label={`Gallery: ${title}`} data-testid="pair-gallery">
      <div className="view-toolbar">
        <h3>
          {title}: {formatCount(total)} {total === 1 ? 'image' : 'images'} at epoch {epoch}
          {total > indices.length ? ` (first ${indices.length} shown)` : ''}
        </h3>
        <HelpTip text="Hide these images.">
          <button type="button" onClick={onClose}>
            Close
          </button>
        </HelpTip>
      </div>
      {indices.length === 0 ? (
        <p className="muted">No test image in this cell.</p>
      ) : (
        <ul className="tile-grid compact">
          {indices.map((i) => (
            <li key={i} className="tile" data-true={trueClass} data-predicted={predictedClass}>
              <DigitTile images={test.images} index={i} label={`Test image ${i}: ${title}`} scale={1.5} />
              <span className="tile-caption muted">#{i}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
