import { useEffect, useMemo, useRef, useState } from 'react';
import type { AugmentationPreview } from '../../client/TrainerSession.ts';
import type { TrainingConfig } from '../../core/config.ts';
import { MNIST_CLASSES } from '../../core/idx.ts';
import { hasAugmentation } from '../AugmentationPreview.tsx';
import { DigitGrid } from './DigitGrid.tsx';
import { HelpTip } from '../HelpTip.tsx';
import './analysis.css';
import './dataset.css';

export const PER_CLASS = 6;
const DEBOUNCE_MS = 300;

interface DatasetViewProps {
  readonly preview: AugmentationPreview | null;
  /** The current config, or null while the form has errors. */
  readonly config: TrainingConfig | null;
  /** The worker has the data. */
  readonly ready: boolean;
  /** Asks for the first `perClass` training images of each digit, augmented with `seed`. */
  readonly onRequest: (config: TrainingConfig, perClass: number, seed: number) => void;
}

/** The tiles of each digit in a class-ordered preview. */
function classRanges(labels: Uint8Array): { label: number; indices: number[] }[] {
  return Array.from({ length: MNIST_CLASSES }, (_, label) => ({
    label,
    indices: [...labels.keys()].filter((i) => labels[i] === label),
  }));
}

/**
 * The training data, a few images per digit, and (when augmentation is on) the same images as
 * training will see them; "Redraw augmentation" draws new random transformations.
 */
export function DatasetView({ preview, config, ready, onRequest }: DatasetViewProps) {
  const [redraws, setRedraws] = useState(0);
  const key = config === null ? '' : JSON.stringify([config.data, config.seed]);
  const latest = useRef({ config, onRequest });
  useEffect(() => {
    latest.current = { config, onRequest };
  });

  // Ask when the view is shown, after a redraw, and when the data settings change (debounced).
  useEffect(() => {
    if (!ready || key === '') return;
    const timer = setTimeout(
      () => {
        const { config: current, onRequest: send } = latest.current;
        if (current !== null) send(current, PER_CLASS, current.seed + redraws);
      },
      redraws === 0 ? DEBOUNCE_MS : 0,
    );
    return () => clearTimeout(timer);
  }, [key, ready, redraws]);

  const augmented = config !== null && hasAugmentation(config);
  const rows = useMemo(() => (preview ? classRanges(preview.labels) : []), [preview]);
  const sources = useMemo(
    () =>
      rows.map(({ label, indices }) => ({
        label,
        originals: { kind: 'digits' as const, images: preview?.originals ?? new Uint8Array(), indices },
        augmented: { kind: 'digits' as const, images: preview?.augmented ?? new Uint8Array(), indices },
      })),
    [rows, preview],
  );

  return (
    <div className="dataset-view">
      <div className="view-toolbar">
        <p className="muted">
          The first {PER_CLASS} training images of each digit
          {augmented ? ', and the same images as one epoch of training sees them augmented.' : '.'}
          {augmented ? '' : ' Turn on rotation, crop or shift (Data panel) to see augmented copies.'}
        </p>
        {augmented ? (
          <HelpTip text="Draw new random augmentations of the same images.">
            <button
              type="button"
              onClick={() => setRedraws((n) => n + 1)}
              disabled={!ready || config === null}
            >
              Redraw augmentation
            </button>
          </HelpTip>
        ) : null}
      </div>
      {config === null ? <p className="muted">Fix the config errors to preview the data.</p> : null}
      {sources.length === 0 ? (
        <p className="muted">{ready ? 'Drawing the training images…' : 'Loading MNIST…'}</p>
      ) : (
        <table className="dataset-table">
          <caption className="sr-only">Training images per digit</caption>
          <thead>
            <tr>
              <th scope="col">Digit</th>
              <th scope="col">Original</th>
              {augmented ? <th scope="col">Augmented</th> : null}
            </tr>
          </thead>
          <tbody>
            {sources.map((row) => (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                <td>
                  <DigitGrid
                    source={row.originals}
                    columns={PER_CLASS}
                    scale={1.5}
                    label={`${row.originals.indices.length} training images of the digit ${row.label}`}
                  />
                </td>
                {augmented ? (
                  <td>
                    <DigitGrid
                      source={row.augmented}
                      columns={PER_CLASS}
                      scale={1.5}
                      label={`The same ${row.augmented.indices.length} images of ${row.label}, augmented`}
                    />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
