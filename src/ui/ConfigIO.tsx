import { useId, useRef, useState } from 'react';
import { MAX_CONFIG_FILE_BYTES, validateConfig, type TrainingConfig } from '../core/config.ts';
import { HelpTip } from './HelpTip.tsx';
import './configIO.css';

/** Largest config file accepted (the same limit as the CLI's); a real one is about 1 kB. */
const MAX_IMPORT_BYTES = MAX_CONFIG_FILE_BYTES;

interface ConfigIOProps {
  /** The current config, or null while the form has errors. */
  readonly config: TrainingConfig | null;
  readonly disabled: boolean;
  readonly onImport: (config: TrainingConfig) => void;
}

type Notice = { readonly kind: 'error' | 'ok'; readonly text: string; readonly problems?: readonly string[] };

/** Stem of an export's file name: the config's name made safe, else "mlp-config". */
function exportStem(config: TrainingConfig): string {
  const base = (config.name ?? '')
    .trim()
    .replace(/[^\w.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/\.json$/i, '');
  return base === '' ? 'mlp-config' : base;
}

/** File name for an export: the config's name made safe, else "mlp-config.json". */
export function exportFileName(config: TrainingConfig): string {
  return `${exportStem(config)}.json`;
}

function download(contents: string, mimeType: string, fileName: string) {
  const blob = new Blob([contents], { type: mimeType });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function downloadConfig(config: TrainingConfig) {
  download(`${JSON.stringify(config, null, 2)}\n`, 'application/json', exportFileName(config));
}

/**
 * Writes the config as a PyTorch script and downloads it. The writer is loaded on first use, so
 * its text stays out of the page's first download.
 */
async function downloadPytorchScript(config: TrainingConfig): Promise<string> {
  const { pytorchScriptFile } = await import('../core/export/pytorchScript.ts');
  const file = pytorchScriptFile(config, exportStem(config));
  download(String(file.contents), file.mimeType, file.name);
  return file.name;
}

/** Reads and validates an imported file; a message instead of a config when anything is wrong. */
async function readConfigFile(file: File): Promise<{ config: TrainingConfig } | Notice> {
  if (file.size > MAX_IMPORT_BYTES) {
    return {
      kind: 'error',
      text: `${file.name} is too large (${file.size} bytes; at most ${MAX_IMPORT_BYTES}).`,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(await file.text());
  } catch {
    return { kind: 'error', text: `${file.name} is not valid JSON.` };
  }
  const validation = validateConfig(value);
  if (validation.ok) return { config: validation.config };
  const problems = Object.entries(validation.errors).map(([field, message]) => `${field}: ${message}`);
  return { kind: 'error', text: `${file.name} is not a valid config; nothing was changed.`, problems };
}

/** Export, import and share the config: a JSON file either way, or a link to this page. */
export function ConfigIO({ config, disabled, onImport }: ConfigIOProps) {
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [fallbackLink, setFallbackLink] = useState<string | null>(null);

  const copyLink = async () => {
    const href = window.location.href;
    try {
      await navigator.clipboard.writeText(href);
      setFallbackLink(null);
      setNotice({ kind: 'ok', text: 'Link copied.' });
    } catch {
      setFallbackLink(href);
      setNotice(null);
    }
  };

  const exportPytorch = async () => {
    if (config === null) return;
    try {
      const name = await downloadPytorchScript(config);
      setNotice({
        kind: 'ok',
        text: `Saved ${name}: run it with python3 ${name} <folder with the MNIST files>.`,
      });
    } catch (error) {
      setNotice({
        kind: 'error',
        text: `Could not write the PyTorch script: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  };

  const importFile = async (file: File | undefined) => {
    if (file === undefined) return;
    const outcome = await readConfigFile(file);
    if ('config' in outcome) {
      onImport(outcome.config);
      setNotice({ kind: 'ok', text: `Loaded ${file.name}.` });
    } else setNotice(outcome);
    if (inputRef.current) inputRef.current.value = '';
  };

  return (
    <div className="config-io">
      <div className="io-buttons">
        <HelpTip text="Copy a link to this page that carries the whole config.">
          <button type="button" onClick={() => void copyLink()} disabled={config === null}>
            Copy link
          </button>
        </HelpTip>
        <HelpTip text="Download the config as a JSON file.">
          <button type="button" onClick={() => config && downloadConfig(config)} disabled={config === null}>
            Export config
          </button>
        </HelpTip>
        <HelpTip text="Download a Python script that trains this config again in PyTorch: the same model, initialisation, loss, optimizer, schedule, split and augmentation, reading the MNIST files from a folder you give it.">
          <button type="button" onClick={() => void exportPytorch()} disabled={config === null}>
            Export as PyTorch
          </button>
        </HelpTip>
        <HelpTip text="Load a config from a JSON file; it replaces every field.">
          {(describedBy) => (
            <>
              <label className={`button-like ${disabled ? 'disabled' : ''}`} htmlFor={inputId}>
                Import config
              </label>
              <input
                id={inputId}
                ref={inputRef}
                className="sr-only"
                type="file"
                accept="application/json,.json"
                disabled={disabled}
                aria-describedby={describedBy}
                onChange={(event) => void importFile(event.target.files?.[0])}
              />
            </>
          )}
        </HelpTip>
      </div>
      {fallbackLink !== null ? (
        <div className="field">
          <label htmlFor={`${inputId}-link`}>Link to this config</label>
          <input
            id={`${inputId}-link`}
            type="text"
            readOnly
            value={fallbackLink}
            onFocus={(event) => event.target.select()}
          />
          <p className="field-help">Copying was blocked; select the link and copy it yourself.</p>
        </div>
      ) : null}
      {notice ? (
        <div
          className={notice.kind === 'error' ? 'field-error' : 'field-help'}
          role={notice.kind === 'error' ? 'alert' : undefined}
          aria-live="polite"
        >
          {notice.text}
          {notice.problems ? (
            <ul>
              {notice.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
