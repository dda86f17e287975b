import * as tf from '@tensorflow/tfjs-core';
import type { BackendChoice, BackendName } from '../core/backends.ts';
import { effectiveBatchSize, type TrainingConfig } from '../core/config.ts';
import {
  bestRate,
  isConclusive,
  runLength,
  skipTrialReason,
  trialCandidates,
  type CandidateRate,
  type TrialCandidate,
} from '../core/engineTrial.ts';
import { engineTrialKey, modelShape, type DeviceDescription } from '../core/engineTrialKey.ts';
import { shortRunReason, trialReason, type TrialSource } from '../core/engineTrialText.ts';
import { chooseEngine, type EngineChoice, type EngineInfo } from '../core/engines.ts';
import type { LabelledImages } from '../core/idx.ts';
import { AUTO_ORDER } from '../ml/backend.ts';
import { measureCandidates, type TrialHost } from '../ml/engineTrial.ts';
import { compiledKernel } from '../ml/fused/kernel.ts';
import { checkRunMemory } from '../ml/memoryGuard.ts';
import type { EngineTrialCache } from './engineTrialCache.ts';

/**
 * The worker's side of the measuring `auto`: for a run whose engine is `auto`, a choice kept for
 * this device and model shape, or else a trial of every candidate (`ml/engineTrial.ts`), kept
 * when conclusive; for a run too short to be worth measuring, the fused kernel. A forced engine
 * (the picker, `?engine=`) is never measured.
 */

/** What the trial needs from the worker's surroundings (the entry file wires the browser's). */
export interface EngineTrialEnvironment {
  /** Where measured choices are kept (`engineTrialCache.ts`); null keeps none. */
  readonly cache: EngineTrialCache | null;
  /** The device, for the cache key. */
  describeDevice(): Promise<DeviceDescription>;
  /** GPU backends that name themselves software: measured last. */
  softwareBackends(): Promise<ReadonlySet<BackendName>>;
  /** The calendar clock (ms since 1970) for the cache's dates; `Date.now` by default. */
  readonly today?: () => number;
}

/** What a run trains with, once `auto` has chosen. */
export interface EngineSelection {
  /** The engine to build: the chosen path, or the run's own choice where nothing was chosen. */
  readonly engine: EngineChoice;
  /** The backend the choice runs on, to switch to; null to stay on the one in use. */
  readonly backend: BackendName | null;
  /** What Details says about the engine the run built (`actual`): with the trial's reason and rates. */
  describe(actual: EngineInfo): EngineInfo;
}

export interface SelectionRequest {
  readonly config: TrainingConfig;
  /** The training images (the trial uses a slice). */
  readonly images: LabelledImages;
  readonly engine: EngineChoice;
  readonly backend: BackendChoice;
  readonly environment: EngineTrialEnvironment;
  readonly host: TrialHost;
  /** Called when the trial starts measuring (not for a kept choice, a forced engine or a short run). */
  readonly onMeasuring?: () => void;
}

/** The run's own choice, unchanged (a forced engine, or nothing to measure with). */
export const keepChoice = (engine: EngineChoice): EngineSelection => ({
  engine,
  backend: null,
  describe: (actual) => actual,
});

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The winner, with the reason and rates Details shows when the run built that engine. */
function chosen(
  winner: TrialCandidate,
  measured: readonly CandidateRate[],
  source: TrialSource,
): EngineSelection {
  return {
    engine: winner.engine,
    backend: winner.backend,
    describe: (actual) =>
      actual.path === winner.engine
        ? { path: actual.path, reason: trialReason(winner, source), measured }
        : { ...actual, measured },
  };
}

/**
 * Decides the engine (and, under a backend `auto`, the backend) of a run: see the file's comment.
 * Never rejects: a trial that fails (storage, a backend that throws) leaves the run's own
 * choice, with the reason saying so.
 */
export async function selectEngine(request: SelectionRequest): Promise<EngineSelection> {
  try {
    return await decide(request);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ...keepChoice(request.engine),
      describe: (actual) => ({ ...actual, reason: `${actual.reason} (the engine trial failed: ${message})` }),
    };
  }
}

async function decide(request: SelectionRequest): Promise<EngineSelection> {
  const { config, engine, backend, environment, host } = request;
  // A forced engine is not measured; a config too big is refused by the run itself, unmeasured.
  if (engine !== 'auto' || !checkRunMemory(config).ok) return keepChoice(engine);
  const kernel = compiledKernel();
  const skip = skipTrialReason(runLength(config));
  if (skip !== null) {
    if (kernel === null) return keepChoice(engine);
    return {
      engine: 'fused',
      backend: null,
      describe: (actual) =>
        actual.path === 'fused' ? { path: 'fused', reason: shortRunReason(skip) } : actual,
    };
  }
  const today = environment.today ?? Date.now;
  const key = engineTrialKey(await environment.describeDevice(), modelShape(config), backend);
  const cached = await environment.cache?.get(key, today());
  if (cached !== undefined && cached !== null) {
    const runnable =
      chooseEngine(config, cached.engine, cached.backend, kernel?.variant ?? null).path === cached.engine;
    if (runnable && (await host.useBackend(cached.backend)) === null) {
      return chosen(cached, cached.measured, { kind: 'cached', measuredOn: isoDay(cached.measuredAt) });
    }
  }
  const software = await environment.softwareBackends();
  const candidates = trialCandidates({
    backend,
    registered: AUTO_ORDER.filter((name) => tf.findBackendFactory(name) !== null),
    fusedKernel: kernel !== null,
    software,
  });
  request.onMeasuring?.();
  const rates = await measureCandidates(
    {
      config,
      images: request.images,
      candidates,
      backend,
      run: runLength(config),
      batchSize: effectiveBatchSize(config),
      software,
    },
    host,
  );
  const winner = bestRate(rates);
  if (winner === null) {
    return {
      ...keepChoice(engine),
      describe: (actual) => ({
        ...actual,
        reason: `${actual.reason} (the trial measured no candidate)`,
        measured: rates,
      }),
    };
  }
  if (isConclusive(rates)) {
    await environment.cache?.put({
      key,
      engine: winner.engine,
      backend: winner.backend,
      measured: rates,
      measuredAt: today(),
    });
  }
  return chosen(winner, rates, { kind: 'measured' });
}
