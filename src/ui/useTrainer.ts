import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { BackendChoice } from '../core/backends.ts';
import type { TrainingConfig } from '../core/config.ts';
import { INITIAL_RUN_STATE, runReducer, type RunState } from '../client/runState.ts';
import { TrainerClient, createTrainerWorker } from '../client/TrainerClient.ts';
import type { WorkerCommand } from '../worker/protocol.ts';

export interface TrainerActions {
  prepare(backend: BackendChoice): void;
  train(config: TrainingConfig, backend: BackendChoice): void;
  pause(): void;
  resume(): void;
  stop(): void;
}

/** Connects React to one training worker: state from the pure reducer, actions as commands. */
export function useTrainer(initialBackend: BackendChoice): [RunState, TrainerActions] {
  const [state, dispatch] = useReducer(runReducer, INITIAL_RUN_STATE);
  const clientRef = useRef<TrainerClient | null>(null);
  const runIdRef = useRef<string | null>(null);

  const send = useCallback((command: WorkerCommand) => {
    runIdRef.current = command.runId;
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

  const actions: TrainerActions = {
    prepare: (backend) => {
      const client = clientRef.current;
      if (client) send({ type: 'prepare', runId: client.newRunId(), backend });
    },
    train: (config, backend) => {
      const client = clientRef.current;
      if (client) send({ type: 'start', runId: client.newRunId(), backend, config });
    },
    pause: () => runIdRef.current && clientRef.current?.send({ type: 'pause', runId: runIdRef.current }),
    resume: () => runIdRef.current && clientRef.current?.send({ type: 'resume', runId: runIdRef.current }),
    stop: () => runIdRef.current && clientRef.current?.send({ type: 'stop', runId: runIdRef.current }),
  };
  return [state, actions];
}
