import { validateConfig, type TrainingConfig } from '../core/config.ts';
import type { LabelledImages } from '../core/idx.ts';
import { checkParameters } from '../core/modelParameters.ts';
import type { Predictor } from '../ml/predictor.ts';
import { loadSavedModel } from '../ml/savedModel.ts';
import type { WorkerCommand, WorkerEvent } from './protocol.ts';

/**
 * The worker's side of saving and loading models, apart from the worker entry (which owns
 * `self`) so it runs in unit tests: each function turns a command into the event that answers
 * it, and never throws — a failure is the event's `error`, and the worker's model is unchanged.
 */

/** A model the worker answers with between runs: the last finished run's, or a loaded one. */
export interface WorkerModel {
  readonly predictor: Predictor;
  readonly config: TrainingConfig;
  /** Its test accuracy (the run's final test, or the evaluation on loading). */
  readonly testAccuracy: number | null;
  readonly source: 'finished' | 'loaded';
}

type ExportEvent = Extract<WorkerEvent, { type: 'model-export' }>;
type LoadedEvent = Extract<WorkerEvent, { type: 'model-loaded' }>;
type LoadCommand = Extract<WorkerCommand, { type: 'load-model' }>;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The weights of `model` (or of the running model, which `model` then resolves from), copied so
 * the transfer leaves the worker's own copy intact. Null `model`: nothing trained or loaded yet.
 */
export async function exportModel(
  runId: string,
  requestId: number,
  model: WorkerModel | (() => Promise<WorkerModel>) | null,
): Promise<ExportEvent> {
  const base = { type: 'model-export', runId, requestId } as const;
  if (model === null) {
    return { ...base, model: null, error: 'There is no model to save yet: train one (or load one) first.' };
  }
  try {
    const { predictor, config, testAccuracy } = typeof model === 'function' ? await model() : model;
    return {
      ...base,
      model: {
        config,
        normalization: predictor.normalization,
        origin: { ...predictor.origin },
        testAccuracy,
        parameters: predictor.parameters.map((p) => ({
          name: p.name,
          shape: [...p.shape],
          data: p.data.slice(),
        })),
      },
      error: null,
    };
  } catch (error) {
    return { ...base, model: null, error: `The model could not be read: ${messageOf(error)}` };
  }
}

/**
 * Checks a `load-model` command's weights against their config, evaluates them on `test` (the
 * 10,000 test images) and builds the predictor. The event says how it went; `model` is what the
 * worker should answer with from now on (null when it failed).
 */
export async function loadModel(
  command: LoadCommand,
  test: LabelledImages,
  now: () => number,
): Promise<{ event: LoadedEvent; model: WorkerModel | null }> {
  const started = now();
  const { runId, requestId, name } = command;
  const fail = (error: string) => ({
    event: { type: 'model-loaded', runId, requestId, test: null, error, ms: now() - started } as const,
    model: null,
  });
  const validation = validateConfig(command.model.config);
  if (!validation.ok) {
    const [field, message] = Object.entries(validation.errors)[0] ?? ['(config)', 'invalid'];
    return fail(`${name} could not be loaded: its config is invalid (${field}: ${message}).`);
  }
  const config = validation.config;
  const problem = checkParameters(config.model, command.model.parameters);
  if (problem !== null) return fail(`${name} could not be loaded: ${problem}.`);
  try {
    const loaded = await loadSavedModel({ ...command.model, config }, test);
    return {
      event: { type: 'model-loaded', runId, requestId, test: loaded.test, error: null, ms: now() - started },
      model: { predictor: loaded.predictor, config, testAccuracy: loaded.test.accuracy, source: 'loaded' },
    };
  } catch (error) {
    return fail(`${name} could not be loaded: ${messageOf(error)}`);
  }
}

/** Why `start.initialWeights` cannot seed a run of `config`, or null when they fit. */
export function checkInitialWeights(
  config: TrainingConfig,
  initial: NonNullable<Extract<WorkerCommand, { type: 'start' }>['initialWeights']>,
): string | null {
  const { mean, std } = initial.normalization;
  if (!Number.isFinite(mean) || !Number.isFinite(std) || std <= 0) {
    return 'Cannot continue training: the saved normalisation is invalid.';
  }
  const problem = checkParameters(config.model, initial.parameters);
  return problem === null
    ? null
    : `Cannot continue training from these weights with this config: ${problem}. Keep the loaded model's layers.`;
}
