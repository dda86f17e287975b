import { useId } from 'react';
import { HelpTip } from './HelpTip.tsx';

interface FilePickerProps {
  /** The visible text, e.g. "Import IDX files". */
  readonly label: string;
  /** The tip shown on hover and focus (also the input's description). */
  readonly help: string;
  readonly disabled?: boolean;
  readonly multiple?: boolean;
  /** The input's `accept`; any file when absent. */
  readonly accept?: string;
  /** The chosen files (never empty); the input is reset, so choosing the same file again fires again. */
  readonly onFiles: (files: readonly File[]) => void;
}

/**
 * A file input that looks like a button: the `<input type="file">` stays in the tab order (visually
 * hidden, focus shown on its label) so keyboards and screen readers reach it, with its help tip.
 */
export function FilePicker({
  label,
  help,
  disabled = false,
  multiple = false,
  accept,
  onFiles,
}: FilePickerProps) {
  const id = useId();
  return (
    <HelpTip text={help}>
      {(describedBy) => (
        <>
          <label className={`button-like ${disabled ? 'disabled' : ''}`} htmlFor={id}>
            {label}
          </label>
          <input
            id={id}
            className="sr-only"
            type="file"
            multiple={multiple}
            accept={accept}
            disabled={disabled}
            aria-describedby={describedBy}
            onChange={(event) => {
              const files = [...(event.target.files ?? [])];
              event.target.value = '';
              if (files.length > 0) onFiles(files);
            }}
          />
        </>
      )}
    </HelpTip>
  );
}
