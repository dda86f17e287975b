import type { UnitTopImages } from '../core/topActivations.ts';
import type { PredictionSource } from './protocol.ts';

/**
 * The neuron inspector's request for the nine test images that activate hidden unit `unit` of
 * layer `layer` most, for the weights a `predict` would use now (inference mode, all 10,000 test
 * images, scanned in slices between which training goes on). Answered with
 * {@link UnitTopImagesAnswer}; a newer such request makes an unfinished one answer with an `error`.
 * A member of the protocol's `WorkerCommand`, kept here with its answer.
 */
export interface UnitTopImagesRequest {
  readonly type: 'unit-top-images';
  readonly runId: string;
  readonly requestId: number;
  readonly layer: number;
  readonly unit: number;
}

/** The answer to {@link UnitTopImagesRequest}: null `top` when there is no model yet or no such unit. */
export interface UnitTopImagesAnswer {
  readonly type: 'unit-top-images';
  readonly runId: string;
  readonly requestId: number;
  readonly top: UnitTopImages | null;
  /** Which weights answered and the epoch they are from (as `prediction`), and worker time. */
  readonly source: PredictionSource | null;
  readonly epoch: number | null;
  readonly ms: number;
}

/** The answer's typed arrays, transferred when it is posted. */
export function topImagesTransferables({ top }: UnitTopImagesAnswer): Transferable[] {
  return (
    top ? [top.indices.buffer, top.activations.buffer, top.images.buffer, top.labels.buffer] : []
  ) as Transferable[];
}
