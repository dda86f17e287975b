import { useState } from 'react';
import type { TestImages } from '../../client/runState.ts';
import { SeededRandom } from '../../core/random.ts';
import { HelpTip } from '../HelpTip.tsx';
import './draw.css';

interface TestImagePickerProps {
  readonly test: TestImages | null;
  /** The test image shown, or null while the pad shows a drawing. */
  readonly picked: number | null;
  readonly onPick: (index: number) => void;
}

/** The keyboard way into the pad: load test image k (or a random one) and show its true label. */
export function TestImagePicker({ test, picked, onPick }: TestImagePickerProps) {
  const [index, setIndex] = useState(0);
  /** What the field holds, valid or not, so a bad entry stays visible with its message. */
  const [draft, setDraft] = useState('0');
  const [random] = useState(() => new SeededRandom(7));
  // An image put on the pad from elsewhere (the neuron inspector's thumbnails): the field follows.
  const [shown, setShown] = useState<number | null>(picked);
  if (picked !== shown) {
    setShown(picked);
    if (picked !== null) {
      setIndex(picked);
      setDraft(String(picked));
    }
  }
  if (!test) return <p className="muted small">The test images are still loading.</p>;
  const count = test.labels.length;
  const choose = (k: number) => {
    setIndex(k);
    setDraft(String(k));
    onPick(k);
  };
  const parsed = /^\d+$/.test(draft.trim()) ? Number(draft.trim()) : Number.NaN;
  const invalid = !(parsed >= 0 && parsed < count);
  const message = `Enter a whole number from 0 to ${(count - 1).toLocaleString('en-US')}`;
  return (
    <div className="test-picker">
      <label>
        Test image{' '}
        <input
          type="number"
          min={0}
          max={count - 1}
          value={draft}
          aria-invalid={invalid}
          aria-describedby={invalid ? 'test-image-error' : undefined}
          onChange={(e) => {
            setDraft(e.target.value);
            const k = Number(e.target.value);
            if (/^\d+$/.test(e.target.value.trim()) && k < count) choose(k);
          }}
        />
      </label>
      {invalid ? (
        <span id="test-image-error" className="field-error" role="alert">
          {message}
        </span>
      ) : null}
      <HelpTip text="Put this test image on the pad and read it with the model.">
        <button type="button" disabled={invalid} onClick={() => onPick(index)}>
          Show
        </button>
      </HelpTip>
      <HelpTip text="Put a random test image on the pad.">
        <button type="button" onClick={() => choose(random.nextInt(count))}>
          Random test image
        </button>
      </HelpTip>
      {picked !== null ? (
        <span data-testid="true-label">
          Test image {picked}, true label <strong>{test.labels[picked]}</strong>
        </span>
      ) : null}
    </div>
  );
}
