import { useState } from 'react';
import type { StoredModelInfo } from '../../client/modelStore.ts';
import type { LoadedModelView } from '../../client/runState.ts';
import type { TrainerSession } from '../../client/TrainerSession.ts';
import type { TrainingConfig } from '../../core/config.ts';
import { architectureOf } from '../../core/configSummary.ts';
import { defaultModelName, uniqueModelName, type SavedModel } from '../../core/modelFile.ts';
import { checkLayout } from '../../core/modelParameters.ts';
import { downloadBlob } from '../../charts/downloadBlob.ts';
import { valueOf } from '../useStoredCollection.ts';
import type { AnswerTo } from '../../worker/protocol.ts';
import { MODEL_EXPORT_FORMATS, type ModelExportId } from './modelExports.ts';
import { readUploadedModel } from './modelUpload.ts';
import type { SavedModels } from './useSavedModels.ts';

/** Weights a run continues from (the `start` command's `initialWeights`). */
export type ContinueWeights = Pick<SavedModel, 'parameters' | 'normalization'>;

/** The weights an `export-model` answer carries, with their config and test accuracy. */
export type ExportedModel = NonNullable<AnswerTo<'export-model'>['model']>;

/**
 * The weights in the worker's answer to `export-model`; throws the worker's message when it had
 * none to send (no run yet, or reading them failed).
 */
export function exportedModel(answer: AnswerTo<'export-model'>): ExportedModel {
  if (answer.model === null) throw new Error(answer.error ?? 'The worker sent no model.');
  return answer.model;
}

export interface ModelActionsInput {
  readonly store: SavedModels;
  /** The training worker's `request`. */
  readonly request: TrainerSession['request'];
  /** The form's config, or null while it has errors. */
  readonly config: TrainingConfig | null;
  readonly loadedModel: LoadedModelView | null;
  onLoadConfig(config: TrainingConfig): void;
  onContinue(config: TrainingConfig, weights: ContinueWeights): void;
}

/** Shown at the top of the panel: an error (role=alert) or a status (polite live region). */
export type Notice = { readonly kind: 'error' | 'status'; readonly text: string } | null;

/**
 * The stem of a model's downloaded files: safe characters only (`e2e digits` → `e2e-digits`);
 * each format adds its extensions (`.model.json`, `.tfjs.json` + `.weights.bin`, …).
 */
export function modelBaseName(name: string): string {
  const base = name
    .trim()
    .replace(/[^\w.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return base === '' ? 'mlp-model' : base;
}

/** `a`, `a and b`, `a, b and c`. */
const listed = (names: readonly string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * What the Models panel does: save the worker's current model, upload a file, load, download and
 * delete saved ones, and continue training from the loaded one. Every failure becomes a notice
 * and changes nothing else.
 */
export function useModelActions(input: ModelActionsInput) {
  const { store, request, config, loadedModel } = input;
  const [notice, setNotice] = useState<Notice>(null);
  const [working, setWorking] = useState(false);
  /**
   * The model last sent to the worker, kept for Continue training. The run state's `loadedModel`
   * follows the newest load, which is always this one: nothing else loads models.
   */
  const [sent, setSent] = useState<SavedModel | null>(null);
  const names = store.models.map((m) => m.name);

  /**
   * Runs `action`; its result is the status to show (null: none). Resolves false, with an error
   * notice, on failure.
   */
  const attempt = async (action: () => Promise<string | null>): Promise<boolean> => {
    setWorking(true);
    try {
      const status = await action();
      setNotice(status === null ? null : { kind: 'status', text: status });
      return true;
    } catch (error) {
      setNotice({ kind: 'error', text: messageOf(error) });
      return false;
    } finally {
      setWorking(false);
    }
  };

  const save = (typedName: string) =>
    attempt(async () => {
      const exported = exportedModel(await request({ type: 'export-model' }));
      const wanted = typedName.trim() || defaultModelName(exported.config, exported.testAccuracy);
      const stored = valueOf(
        await store.save({ ...exported, name: uniqueModelName(wanted, names), savedAt: Date.now() }),
      );
      return stored.name === wanted
        ? `Saved ${stored.name}.`
        : `Saved as ${stored.name} (the name was taken).`;
    });

  /** Adds the chosen file(s) to the list: a model file, or a TF.js model.json with its .bin files. */
  const upload = (files: readonly File[]) =>
    attempt(async () => {
      const uploaded = await readUploadedModel(files, Date.now());
      const stored = valueOf(
        await store.save({ ...uploaded.model, name: uniqueModelName(uploaded.model.name, names) }),
      );
      return [`Added ${stored.name} from ${uploaded.source}.`, ...uploaded.notes].join(' ');
    });

  /** Puts the config into the form and the weights into the worker; the run state says how it went. */
  const load = (info: StoredModelInfo) =>
    attempt(async () => {
      const model = valueOf(await store.get(info.id));
      input.onLoadConfig(model.config);
      // How the load goes (its failure included) is the run state's `loadedModel`.
      request({ type: 'load-model', name: model.name, model }).catch(() => {});
      setSent(model);
      return null;
    });

  /** Writes the saved model in `formatId` (its writer loaded on first use): one download per file. */
  const download = (info: StoredModelInfo, formatId: ModelExportId) =>
    attempt(async () => {
      const format = MODEL_EXPORT_FORMATS.find((f) => f.id === formatId);
      if (format === undefined) throw new Error(`Unknown download format ${formatId}.`);
      const model = valueOf(await store.get(info.id));
      const exporter = await format.load();
      const files = await exporter(model, modelBaseName(model.name));
      for (const file of files) {
        // A copy of bytes, so the Blob gets a plain ArrayBuffer (never a shared or resizable one).
        const part = typeof file.contents === 'string' ? file.contents : new Uint8Array(file.contents);
        downloadBlob(new Blob([part], { type: file.mimeType }), file.name);
      }
      return `Downloaded ${listed(files.map((f) => f.name))}.`;
    });

  const remove = async (info: StoredModelInfo): Promise<boolean> => {
    const removed = await store.remove(info.id);
    setNotice(
      removed.ok ? { kind: 'status', text: `Deleted ${info.name}.` } : { kind: 'error', text: removed.error },
    );
    return removed.ok;
  };

  /** The loaded model Continue training would start from: loaded and answered by the worker. */
  const continuable = loadedModel?.status === 'loaded' ? sent : null;

  const continueTraining = () => {
    if (continuable === null) return;
    if (config === null) {
      setNotice({ kind: 'error', text: 'The form has errors: fix them to continue training.' });
      return;
    }
    const problem = checkLayout(config.model, continuable.parameters);
    if (problem !== null) {
      setNotice({
        kind: 'error',
        text: `Continue training needs the loaded model's layers (${architectureOf(continuable.config)}); the form has ${architectureOf(config)}: ${problem}. Load the model again or change the layers back.`,
      });
      return;
    }
    input.onContinue(config, {
      parameters: continuable.parameters,
      normalization: continuable.normalization,
    });
    setNotice({ kind: 'status', text: `Continuing to train ${continuable.name} with the form's settings.` });
  };

  return { notice, working, save, upload, load, download, remove, continuable, continueTraining };
}
