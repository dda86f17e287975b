import { useCallback, useEffect, useRef } from 'react';
import type { AugmentationPreview as Preview } from '../client/TrainerSession.ts';
import type { TrainingConfig } from '../core/config.ts';
import { DigitCanvas } from './DigitCanvas.tsx';
import { HelpTip } from './HelpTip.tsx';
import { useNewestAnswer } from './useNewestAnswer.ts';
import './augmentationPreview.css';

const PIXELS = 784;
export const PREVIEW_COUNT = 16;
const DEBOUNCE_MS = 400;

interface AugmentationPreviewProps {
  /** The current config, or null while the form has errors. */
  readonly config: TrainingConfig | null;
  /** The worker has the data (previews need training images). */
  readonly ready: boolean;
  /** Asks the worker for a preview of `config`'s augmentation. */
  readonly onRequest: (config: TrainingConfig) => Promise<Preview>;
}

export function hasAugmentation(config: TrainingConfig): boolean {
  const { rotationDegrees, cropPadding, shiftPixels } = config.data;
  return rotationDegrees > 0 || cropPadding > 0 || shiftPixels > 0;
}

/**
 * Training images next to their augmented copies; refreshed (debounced) as augmentation changes.
 * Shows the answer to the newest request (kept while the form changes, across runs).
 */
export function AugmentationPreview({ config, ready, onRequest }: AugmentationPreviewProps) {
  const active = config !== null && hasAugmentation(config);
  const key = config === null ? '' : JSON.stringify([config.data, config.seed]);
  const [shown, track] = useNewestAnswer<Preview>();
  const preview = shown?.answer ?? null;
  const latest = useRef({ config, onRequest });
  useEffect(() => {
    latest.current = { config, onRequest };
  });
  const request = useCallback(() => {
    const { config: current, onRequest: send } = latest.current;
    if (current !== null && hasAugmentation(current)) track(send(current));
  }, [track]);

  // `key` changes with the data settings: refresh once the person stops typing.
  useEffect(() => {
    if (!active || !ready) return;
    const timer = setTimeout(request, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key, active, ready, request]);

  if (!active) return null;
  const count = preview ? Math.min(preview.labels.length, Math.floor(preview.originals.length / PIXELS)) : 0;
  const image = (bytes: Uint8Array, i: number) => bytes.subarray(i * PIXELS, (i + 1) * PIXELS);
  return (
    <div className="augmentation">
      <HelpTip text="Show some training images next to augmented copies, as training sees them.">
        <button type="button" onClick={request} disabled={!ready}>
          Preview augmentation
        </button>
      </HelpTip>
      {preview && count > 0 ? (
        <div className="digit-grid" aria-label="Augmentation preview">
          {Array.from({ length: count }, (_, i) => {
            const digit = preview.labels[i] ?? 0;
            return (
              <figure key={i} className="digit-pair">
                <DigitCanvas
                  pixels={image(preview.originals, i)}
                  label={`Digit ${digit}, original`}
                  scale={1.5}
                />
                <DigitCanvas
                  pixels={image(preview.augmented, i)}
                  label={`Digit ${digit}, augmented`}
                  scale={1.5}
                />
              </figure>
            );
          })}
        </div>
      ) : null}
    </div>
  );
}
