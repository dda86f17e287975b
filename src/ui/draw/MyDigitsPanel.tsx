import { memo, useId, useState } from 'react';
import { downloadBlob } from '../../charts/downloadBlob.ts';
import { formatCount } from '../../core/format.ts';
import { myDigitsFromIdx, myDigitsToIdx, type MyDigit } from '../../core/myDigits.ts';
import { DigitCanvas } from '../DigitCanvas.tsx';
import { FilePicker } from '../FilePicker.tsx';
import { HelpTip } from '../HelpTip.tsx';
import type { MyDigits } from './useMyDigits.ts';
import { plural, scoreText } from './myDigitsText.ts';
import type { MyDigitsEvaluation } from './useMyDigitsScore.ts';
import './myDigits.css';

/** Thumbnails drawn at most (newest first); the score counts them all. */
const SHOWN_MAX = 200;

interface MyDigitsPanelProps {
  readonly store: MyDigits;
  readonly evaluation: MyDigitsEvaluation;
}

/**
 * "My digits": the labelled drawings kept in this browser, as thumbnails (the ones the model gets
 * wrong marked with its answer), the model's accuracy on them, and their export and import as a
 * pair of MNIST IDX files (images idx3 + labels idx1). Memoised: the page re-renders often while
 * training, and these thumbnails change only with the store or the score.
 */
export const MyDigitsPanel = memo(function MyDigitsPanel({ store, evaluation }: MyDigitsPanelProps) {
  const headingId = useId();
  const deleteHelpId = useId();
  const [notice, setNotice] = useState<{ kind: 'status' | 'error'; text: string } | null>(null);
  const { digits } = store;
  const ready = store.status === 'ready';
  const scored = evaluation.kind === 'scored' ? evaluation.score : null;
  const wrong = scored === null ? 0 : scored.total - scored.correct;

  const exportDigits = () => {
    const files = myDigitsToIdx([...digits].reverse()); // Oldest first: an import lists them as here.
    for (const file of [files.images, files.labels]) {
      downloadBlob(new Blob([file.bytes as Uint8Array<ArrayBuffer>]), file.name);
    }
    setNotice({
      kind: 'status',
      text: `Exported ${plural(digits.length, 'digit')} as ${files.images.name} and ${files.labels.name}.`,
    });
  };

  const importDigits = async (chosen: readonly File[]) => {
    let set;
    try {
      const files = await Promise.all(
        chosen.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })),
      );
      set = myDigitsFromIdx(files);
    } catch (error) {
      setNotice({
        kind: 'error',
        text: `Nothing was imported: ${error instanceof Error ? error.message : String(error)}`,
      });
      return;
    }
    const outcome = await store.addMany(set);
    setNotice(
      outcome.ok
        ? { kind: 'status', text: `Imported ${plural(set.count, 'digit')}.` }
        : { kind: 'error', text: outcome.error },
    );
  };

  const remove = async (digit: MyDigit) => {
    const outcome = await store.remove(digit.id);
    setNotice(
      outcome.ok
        ? { kind: 'status', text: `Deleted a ${digit.label}.` }
        : { kind: 'error', text: outcome.error },
    );
  };

  const shown = digits.slice(0, SHOWN_MAX);
  return (
    <section className="my-digits" aria-labelledby={headingId}>
      <h3 id={headingId}>My digits</h3>
      {store.status === 'unavailable' ? <p className="error-note">{store.error}</p> : null}
      <p
        aria-live="polite"
        data-testid="my-digits-score"
        data-count={digits.length}
        data-correct={scored?.correct ?? ''}
        data-total={scored?.total ?? ''}
      >
        {store.status === 'loading' ? 'Loading…' : scoreText(digits.length, evaluation)}
        {wrong > 0 ? ` ${plural(wrong, 'digit')} read wrong ${wrong === 1 ? 'is' : 'are'} marked.` : ''}
      </p>
      {store.skipped > 0 ? (
        <p className="muted small">
          {plural(store.skipped, 'stored digit')} could not be read and {store.skipped === 1 ? 'was' : 'were'}{' '}
          left untouched.
        </p>
      ) : null}
      {/* Not role="status": the page has one status line (the run's). */}
      <div aria-live="polite" data-testid="my-digits-notice">
        {notice?.kind === 'status' ? <p className="muted small">{notice.text}</p> : null}
      </div>
      {notice?.kind === 'error' ? (
        <p className="error-note" role="alert">
          {notice.text}
        </p>
      ) : null}
      <div className="my-digits-tools">
        <HelpTip text="Download My digits as two MNIST IDX files: the images (idx3) and their labels (idx1).">
          <button type="button" disabled={!ready || digits.length === 0} onClick={exportDigits}>
            Export as IDX
          </button>
        </HelpTip>
        <FilePicker
          label="Import IDX files"
          help="Add digits from an images idx3 file and a labels idx1 file, chosen together; a wrong file adds nothing and deletes nothing."
          multiple
          disabled={!ready}
          onFiles={(files) => void importDigits(files)}
        />
      </div>
      <p id={deleteHelpId} className="sr-only">
        Deletes this drawing from My digits in this browser, at once; an exported copy keeps it.
      </p>
      {shown.length > 0 ? (
        <ul className="my-digits-list" aria-label="My digits">
          {shown.map((digit) => {
            const predicted = scored?.predicted.get(digit.id);
            const failed = predicted !== undefined && predicted !== digit.label;
            return (
              <li key={digit.id} className={failed ? 'my-digit failed' : 'my-digit'} data-failed={failed}>
                <DigitCanvas pixels={digit.pixels} label={`My digit labelled ${digit.label}`} scale={2} />
                <span className="my-digit-label">
                  {digit.label}
                  {failed ? <span className="my-digit-wrong"> read as {predicted}</span> : null}
                </span>
                <button
                  type="button"
                  className="my-digit-delete"
                  aria-label={`Delete this ${digit.label}`}
                  aria-describedby={deleteHelpId}
                  onClick={() => void remove(digit)}
                >
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      {digits.length > shown.length ? (
        <p className="muted small">
          The newest {formatCount(SHOWN_MAX)} are shown; the score counts all {formatCount(digits.length)}.
        </p>
      ) : null}
    </section>
  );
});
