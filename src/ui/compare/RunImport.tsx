import { useId, useState } from 'react';
import { HelpTip } from '../HelpTip.tsx';
import { parseRunFile, runFileSizeProblem } from '../../core/runFile.ts';
import type { RunRecord } from '../../core/runRecord.ts';
import type { StoreOutcome } from '../useStoredCollection.ts';

interface RunImportProps {
  /** Stores one run; never rejects (when the browser refuses, the history says why). */
  readonly save: (record: RunRecord) => Promise<StoreOutcome<void>>;
  /** The imported runs, to draw them in the comparison. */
  readonly onImported: (ids: readonly string[]) => void;
}

/**
 * Reads a run file (Train's "Export run") or a comparison export into the history and shows the
 * runs in the comparison. A wrong or broken file gets one clear message and changes nothing.
 */
export function RunImport({ save, onImported }: RunImportProps) {
  const id = useId();
  const [message, setMessage] = useState<{ readonly text: string; readonly error: boolean } | null>(null);

  const read = async (file: File) => {
    const tooLarge = runFileSizeProblem(file.size);
    if (tooLarge !== null) {
      setMessage({ text: `${file.name}: ${tooLarge}`, error: true });
      return;
    }
    const parsed = parseRunFile(await file.text());
    if (!parsed.ok) {
      setMessage({ text: `${file.name}: ${parsed.error}`, error: true });
      return;
    }
    const stored: string[] = [];
    for (const record of parsed.records) if ((await save(record)).ok) stored.push(record.id);
    onImported(stored);
    const count = parsed.records.length;
    setMessage(
      stored.length === count
        ? {
            text: `Imported ${count} run${count === 1 ? '' : 's'} from ${file.name}; shown in the comparison.`,
            error: false,
          }
        : {
            text: `Only ${stored.length} of ${count} runs could be stored (see the history's message).`,
            error: true,
          },
    );
  };

  return (
    <div className="run-import">
      <HelpTip text="Read a run file (Train's Export run) or a comparison export into the history and draw it here.">
        {(describedBy) => (
          <>
            <label className="button-like" htmlFor={id}>
              Import run file
            </label>
            <input
              id={id}
              className="sr-only"
              type="file"
              accept="application/json,.json"
              aria-describedby={describedBy}
              onChange={(event) => {
                const file = event.target.files?.[0];
                event.target.value = '';
                if (file) void read(file);
              }}
            />
          </>
        )}
      </HelpTip>
      {message ? (
        <p className={message.error ? 'field-error' : 'field-help'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
