import type { WorkerEvent } from '../worker/protocol.ts';

/**
 * Waiting for the worker's answer to `export-model` as a promise: the weights are large and
 * wanted once (to save them), so they go to the caller instead of through the run reducer.
 */

/** The weights a `model-export` event carries, with their config and test accuracy. */
export type ExportedModel = NonNullable<Extract<WorkerEvent, { type: 'model-export' }>['model']>;

/**
 * Resolves with the `model-export` answering `requestId`; rejects with the worker's message when
 * it had no model, or when the worker reports an `error` under `runId` (a crash) first.
 * Subscribe before sending the command, so the answer cannot slip past.
 */
export function awaitModelExport(
  subscribe: (listener: (event: WorkerEvent) => void) => () => void,
  runId: string,
  requestId: number,
): Promise<ExportedModel> {
  return new Promise<ExportedModel>((resolve, reject) => {
    const unsubscribe = subscribe((event) => {
      if (event.type === 'model-export' && event.requestId === requestId) {
        unsubscribe();
        if (event.model !== null) resolve(event.model);
        else reject(new Error(event.error ?? 'The worker sent no model.'));
      } else if (event.type === 'error' && event.runId === runId) {
        unsubscribe();
        reject(new Error(event.message));
      }
    });
  });
}
