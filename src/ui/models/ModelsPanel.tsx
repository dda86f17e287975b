import { useId, useRef, useState } from 'react';
import { canStartTraining, type LoadedModelView, type RunState } from '../../client/runState.ts';
import type { TrainerSession } from '../../client/TrainerSession.ts';
import type { TrainingConfig } from '../../core/config.ts';
import { formatPercent } from '../../core/format.ts';
import { defaultModelName } from '../../core/modelFile.ts';
import { HelpTip } from '../HelpTip.tsx';
import { MODEL_EXPORT_FORMATS, type ModelExportFormat, type ModelExportId } from './modelExports.ts';
import { SavedModelRow } from './SavedModelRow.tsx';
import { useModelActions, type ContinueWeights } from './useModelActions.ts';
import { useSavedModels } from './useSavedModels.ts';
import './models.css';

interface ModelsPanelProps {
  readonly state: RunState;
  /** The form's config, or null while it has errors (Continue training trains with it). */
  readonly config: TrainingConfig | null;
  /** The training worker's `request` (exports and loads its model). */
  readonly request: TrainerSession['request'];
  /** Puts a loaded model's config into the form. */
  onLoadConfig(config: TrainingConfig): void;
  /** Starts a run of `config` from `weights` (the loaded model's). */
  onContinue(config: TrainingConfig, weights: ContinueWeights): void;
}

/** What the worker says about the model last loaded, for the live status line. */
function loadedText(loaded: LoadedModelView | null): string | null {
  if (loaded === null || loaded.status === 'failed') return null;
  if (loaded.status === 'loading' || loaded.test === null) {
    return `Loading ${loaded.name}: its config is in the form; evaluating it on the 10,000 test images…`;
  }
  return `Loaded ${loaded.name}: test accuracy ${formatPercent(loaded.test.accuracy, 2)} (evaluated now). The drawing pad uses it.`;
}

const DEFAULT_EXPORT_FORMAT = MODEL_EXPORT_FORMATS[0] as ModelExportFormat;

/** The format picker of the saved models' Download buttons. */
function DownloadFormatPicker({
  value,
  onChange,
}: {
  readonly value: ModelExportFormat;
  onChange(id: ModelExportId): void;
}) {
  const id = useId();
  return (
    <div className="models-format">
      <label htmlFor={id}>Download as</label>
      <HelpTip text={`${value.description} Your browser may ask to allow several downloads.`}>
        <select
          id={id}
          value={value.id}
          onChange={(event) => {
            const format = MODEL_EXPORT_FORMATS.find((f) => f.id === event.target.value);
            if (format) onChange(format.id);
          }}
        >
          {MODEL_EXPORT_FORMATS.map((format) => (
            <option key={format.id} value={format.id}>
              {format.label}
            </option>
          ))}
        </select>
      </HelpTip>
    </div>
  );
}

/**
 * Models: save the trained (or paused) model in this browser, list the saved ones with Load,
 * Download (in the format picked under Download as) and Delete, upload a model file (ours, or a
 * TF.js model.json with its weights), and continue training from a loaded model.
 */
export function ModelsPanel({ state, config, request, onLoadConfig, onContinue }: ModelsPanelProps) {
  const headingId = useId();
  const nameId = useId();
  const fileId = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [name, setName] = useState('');
  const [exportFormat, setExportFormat] = useState<ModelExportId>(DEFAULT_EXPORT_FORMAT.id);
  const pickedFormat = MODEL_EXPORT_FORMATS.find((f) => f.id === exportFormat) ?? DEFAULT_EXPORT_FORMAT;
  const store = useSavedModels();
  const loadedModel = state.loadedModel;
  const actions = useModelActions({ store, request, config, loadedModel, onLoadConfig, onContinue });
  const idle = canStartTraining(state);
  const hasModel =
    state.phase === 'finished' ||
    state.phase === 'stopped' ||
    state.phase === 'paused' ||
    loadedModel?.status === 'loaded';
  const ready = store.status === 'ready';
  const error =
    actions.notice?.kind === 'error'
      ? actions.notice.text
      : loadedModel?.status === 'failed'
        ? loadedModel.error
        : null;
  const loaded = loadedText(loadedModel);
  const skipped =
    store.skipped > 0
      ? `${store.skipped} saved ${store.skipped === 1 ? 'model' : 'models'} could not be read and ${store.skipped === 1 ? 'was' : 'were'} left untouched.`
      : null;

  return (
    <section className="panel models-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Models</h2>
      {store.status === 'unavailable' ? <p className="error-note">{store.error}</p> : null}
      {error !== null ? (
        <p className="error-note" role="alert">
          {error}
        </p>
      ) : null}
      <div className="models-status" aria-live="polite" data-testid="models-status">
        {actions.notice?.kind === 'status' ? <p>{actions.notice.text}</p> : null}
        {loaded !== null ? (
          <p data-testid="loaded-model" data-accuracy={loadedModel?.test?.accuracy ?? ''}>
            {loaded}
          </p>
        ) : null}
      </div>
      <form
        className="models-save"
        onSubmit={(event) => {
          event.preventDefault();
          void actions.save(name).then((saved) => saved && setName(''));
        }}
      >
        <label htmlFor={nameId}>Model name</label>
        <input
          id={nameId}
          type="text"
          maxLength={120}
          value={name}
          placeholder={config ? defaultModelName(config, null) : undefined}
          onChange={(event) => setName(event.target.value)}
        />
        <HelpTip text="Keep the finished or paused run's weights (or the loaded model) in this browser.">
          <button type="submit" disabled={!ready || !hasModel || actions.working}>
            Save model
          </button>
        </HelpTip>
        <HelpTip text="Add a downloaded model file to the list, or a TF.js model.json chosen together with its .bin weights; a wrong or damaged file changes nothing.">
          {(describedBy) => (
            <>
              <label className={`button-like ${ready ? '' : 'disabled'}`} htmlFor={fileId}>
                Upload model file
              </label>
              <input
                id={fileId}
                ref={fileRef}
                className="sr-only"
                type="file"
                accept="application/json,.json,.bin"
                multiple
                disabled={!ready}
                aria-describedby={describedBy}
                onChange={(event) => {
                  const files = [...(event.target.files ?? [])];
                  if (files.length > 0) void actions.upload(files);
                  if (fileRef.current) fileRef.current.value = '';
                }}
              />
            </>
          )}
        </HelpTip>
      </form>
      <p className="muted small">
        Saves the weights of the finished or paused run (or the loaded model) with its config and input
        normalisation. Empty name: the config&apos;s name or a short description.
      </p>
      {actions.continuable !== null ? (
        <div className="models-continue">
          <HelpTip text="Train the loaded model further with the form's settings.">
            <button type="button" disabled={!idle} onClick={actions.continueTraining}>
              Continue training
            </button>
          </HelpTip>
          <span className="muted small">
            From the loaded weights, with the form&apos;s settings (same layers). The optimizer starts afresh:
            its state and the learning-rate schedule are not saved.
          </span>
        </div>
      ) : null}
      {store.models.length > 0 ? (
        <DownloadFormatPicker value={pickedFormat} onChange={setExportFormat} />
      ) : null}
      {store.models.length > 0 ? (
        <table className="item-table models-table">
          <caption className="sr-only">Saved models</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Layers</th>
              <th scope="col">Test accuracy</th>
              <th scope="col">Saved</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {store.models.map((model) => (
              <SavedModelRow
                key={model.id}
                model={model}
                canLoad={idle && !actions.working}
                onLoad={(m) => void actions.load(m)}
                onDownload={(m) => void actions.download(m, exportFormat)}
                onDelete={actions.remove}
              />
            ))}
          </tbody>
        </table>
      ) : ready ? (
        <p className="muted">No saved models yet.</p>
      ) : null}
      {skipped ? <p className="muted small">{skipped}</p> : null}
    </section>
  );
}
