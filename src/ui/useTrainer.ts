import { useEffect, useState, useSyncExternalStore } from 'react';
import type { RunState } from '../client/runState.ts';
import { createTrainerWorker } from '../client/TrainerClient.ts';
import { TrainerSession } from '../client/TrainerSession.ts';
import type { BackendChoice } from '../core/backends.ts';

/**
 * The Train view's training worker: one {@link TrainerSession} for the component's life, prepared
 * with `initialBackend` on mount (so MNIST and the backend are up before Train is pressed), and its
 * state, read with `useSyncExternalStore`. Commands and questions go to the session itself.
 */
export function useTrainer(
  initialBackend: BackendChoice,
  initialStepDelayMs = 0,
): [RunState, TrainerSession] {
  const [session] = useState(
    () => new TrainerSession(createTrainerWorker, { stepDelayMs: initialStepDelayMs }),
  );
  useEffect(() => {
    session.prepare(initialBackend);
    // Ends the worker; a remount (React's strict mode) prepares a fresh one.
    return () => session.dispose();
  }, [session, initialBackend]);
  const state = useSyncExternalStore(session.subscribe, session.getSnapshot);
  return [state, session];
}
