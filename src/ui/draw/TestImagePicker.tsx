import { useState } from 'react';
import type { TestImages } from '../../client/runState.ts';
import { SeededRandom } from '../../core/random.ts';

interface TestImagePickerProps {
  readonly test: TestImages | null;
  /** The test image shown, or null while the pad shows a drawing. */
  readonly picked: number | null;
  readonly onPick: (index: number) => void;
}

/** The keyboard way into the pad: load test image k (or a random one) and show its true label. */
export function TestImagePicker({ test, picked, onPick }: TestImagePickerProps) {
  const [index, setIndex] = useState(0);
  const [random] = useState(() => new SeededRandom(7));
  if (!test) return <p className="muted small">The test images are still loading.</p>;
  const count = test.labels.length;
  const choose = (k: number) => {
    setIndex(k);
    onPick(k);
  };
  return (
    <div className="test-picker">
      <label>
        Test image{' '}
        <input
          type="number"
          min={0}
          max={count - 1}
          value={index}
          onChange={(e) => {
            const k = Math.trunc(Number(e.target.value));
            if (Number.isFinite(k) && k >= 0 && k < count) choose(k);
          }}
        />
      </label>
      <button type="button" onClick={() => onPick(index)}>
        Show
      </button>
      <button type="button" onClick={() => choose(random.nextInt(count))}>
        Random test image
      </button>
      {picked !== null ? (
        <span data-testid="true-label">
          Test image {picked}, true label <strong>{test.labels[picked]}</strong>
        </span>
      ) : null}
    </div>
  );
}
