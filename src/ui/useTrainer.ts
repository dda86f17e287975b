import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import type { BackendChoice } from '../core/backends.ts';
import type { EngineChoice } from '../core/engines.ts';
import type { TrainingConfig } from '../core/config.ts';
import { INITIAL_RUN_STATE, runReducer, type RunState } from '../client/runState.ts';
import { TrainerClient, createTrainerWorker } from '../client/TrainerClient.ts';
import { awaitModelExport, type ExportedModel } from '../client/modelRequests.ts';
import type { ModelWeights, StepMode, WorkerCommand } from '../worker/protocol.ts';

export interface TrainerActions {
  /** Load MNIST and bring up `backend` (also after a backend change). */
  prepare(backend: BackendChoice): void;
  /**
   * Start a new run from freshly initialised weights, or from `initialWeights` (a loaded model's,
   * which must fit `config.model`; the optimizer starts afresh).
   */
  train(
    config: TrainingConfig,
    backend: BackendChoice,
    engine: EngineChoice,
    initialWeights?: StartCommand['initialWeights'],
  ): void;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Stop any run and forget it: charts clear, the next Train re-initialises the weights. */
  reset(): void;
  /**
   * One batch or the rest of the epoch. While paused it steps the current run; with no run it
   * starts one paused (fresh weights) and steps that.
   */
  step(mode: StepMode, config: TrainingConfig, backend: BackendChoice, engine: EngineChoice): void;
  /** Override the learning rate from the next batch; null returns to the schedule. */
  setLearningRate(learningRate: number | null): void;
  /** Wait this long after every step (0 = full speed), for this run and the next ones. */
  setSpeed(stepDelayMs: number): void;
  /**
   * Ask for `count` training images and their augmented versions under `config.data`; with
   * `perClass`, the first `perClass` images of each digit instead (for the dataset view).
   */
  previewAugmentation(config: TrainingConfig, count: number, seed: number, perClass?: number): void;
  /**
   * Classify one preprocessed 28×28 digit (`[784]` bytes, ink high) with the latest weights. A
   * side request: it has its own id and leaves the current run alone; the answer lands in
   * `state.prediction`. Returns the request id.
   */
  predict(pixels: Uint8Array): number;
  /**
   * The weights the drawing pad would use (the paused or running model's, else the last finished
   * or loaded one), for saving. Rejects with a readable message when there is none.
   */
  exportModel(): Promise<ExportedModel>;
  /**
   * Make `model` the worker's model: evaluated on the test images and used by the drawing pad
   * until a run starts; `state.loadedModel` follows how it goes. Returns the request id.
   */
  loadModel(model: ModelWeights, name: string): number;
}

type StartCommand = Extract<WorkerCommand, { type: 'start' }>;

/** Connects React to one training worker: state from the pure reducer, actions as commands. */
export function useTrainer(
  initialBackend: BackendChoice,
  initialStepDelayMs = 0,
): [RunState, TrainerActions] {
  const [state, dispatch] = useReducer(runReducer, INITIAL_RUN_STATE);
  const clientRef = useRef<TrainerClient | null>(null);
  const runIdRef = useRef<string | null>(null);
  const requestIdRef = useRef(0);
  /** Ids of `export-model` and `load-model` requests (apart from predictions'). */
  const modelRequestRef = useRef(0);
  const stepDelayRef = useRef(initialStepDelayMs);
  const phaseRef = useRef(state.phase);
  useEffect(() => {
    phaseRef.current = state.phase;
  }, [state.phase]);

  const send = useCallback((command: WorkerCommand) => {
    if (command.type === 'prepare' || command.type === 'start') runIdRef.current = command.runId;
    dispatch({ kind: 'sent', command });
    clientRef.current?.send(command);
  }, []);

  useEffect(() => {
    const client = new TrainerClient(createTrainerWorker);
    clientRef.current = client;
    const unsubscribe = client.subscribe((event) => dispatch({ kind: 'received', event }));
    send({ type: 'prepare', runId: client.newRunId(), backend: initialBackend });
    return () => {
      unsubscribe();
      client.dispose();
      clientRef.current = null;
    };
  }, [initialBackend, send]);

  const actions = useMemo<TrainerActions>(() => {
    const current = () => runIdRef.current;
    const newId = () => clientRef.current?.newRunId() ?? `run-${Date.now()}`;
    return {
      prepare: (backend) => send({ type: 'prepare', runId: newId(), backend }),
      train: (config, backend, engine, initialWeights) =>
        send({
          type: 'start',
          runId: newId(),
          backend,
          config,
          engine,
          stepDelayMs: stepDelayRef.current,
          ...(initialWeights ? { initialWeights } : {}),
        }),
      pause: () => {
        const runId = current();
        if (runId) send({ type: 'pause', runId });
      },
      resume: () => {
        const runId = current();
        if (runId) send({ type: 'resume', runId });
      },
      stop: () => {
        const runId = current();
        if (runId) send({ type: 'stop', runId });
      },
      reset: () => {
        const runId = current();
        if (runId) send({ type: 'stop', runId });
        const fresh = newId();
        runIdRef.current = fresh;
        dispatch({ kind: 'reset', runId: fresh });
      },
      step: (mode, config, backend, engine) => {
        const runId = current();
        if (runId && phaseRef.current === 'paused') {
          send({ type: 'step', runId, mode });
          return;
        }
        const fresh = newId();
        send({
          type: 'start',
          runId: fresh,
          backend,
          config,
          startPaused: true,
          engine,
          stepDelayMs: stepDelayRef.current,
        });
        send({ type: 'step', runId: fresh, mode });
      },
      setSpeed: (stepDelayMs) => {
        stepDelayRef.current = stepDelayMs;
        const runId = current();
        if (runId) send({ type: 'set-speed', runId, stepDelayMs });
      },
      setLearningRate: (learningRate) => {
        const runId = current();
        if (runId) send({ type: 'set-learning-rate', runId, learningRate });
      },
      previewAugmentation: (config, count, seed, perClass) =>
        send({
          type: 'preview-augmentation',
          runId: current() ?? newId(),
          config,
          count,
          seed,
          ...(perClass === undefined ? {} : { perClass }),
        }),
      predict: (pixels) => {
        requestIdRef.current += 1;
        const requestId = requestIdRef.current;
        // Tagged with the current run's id (like previews) because TrainerClient reports a worker
        // crash under the last id it sent; the reducer matches predictions by request id and never
        // lets one change the run. A copy, as the caller keeps showing its pixels.
        send({ type: 'predict', runId: current() ?? newId(), requestId, pixels: pixels.slice() });
        return requestId;
      },
      exportModel: () => {
        const client = clientRef.current;
        if (client === null) return Promise.reject(new Error('The training worker is not running.'));
        modelRequestRef.current += 1;
        const requestId = modelRequestRef.current;
        const runId = current() ?? newId();
        const reply = awaitModelExport((listener) => client.subscribe(listener), runId, requestId);
        send({ type: 'export-model', runId, requestId });
        return reply;
      },
      loadModel: (model, name) => {
        modelRequestRef.current += 1;
        const requestId = modelRequestRef.current;
        send({ type: 'load-model', runId: current() ?? newId(), requestId, name, model });
        return requestId;
      },
    };
  }, [send]);
  return [state, actions];
}
