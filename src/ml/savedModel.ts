import type { LabelledImages } from '../core/idx.ts';
import type { ModelWeights } from '../core/modelFile.ts';
import { SeededRandom } from '../core/random.ts';
import { allIndices, disposeSplit, toTensorSplit } from './dataset.ts';
import { assignParameters, createMlp, disposeMlp } from './mlp.ts';
import { Predictor } from './predictor.ts';
import { evaluate, type Evaluation } from './step.ts';

export interface LoadedModel {
  /** Frozen weights for the drawing pad; holds no tensors. */
  readonly predictor: Predictor;
  /** The weights on `test` (all of it), in inference mode, with the config's loss. */
  readonly test: Evaluation;
}

/**
 * Rebuilds a saved model and evaluates it on `test` (the 10,000 test images) exactly as a run's
 * final test does: the same variables, normalisation and `evaluate`, so a model saved at the end
 * of a run gets the same accuracy back on the same backend. Throws on weights that do not fit the
 * config; frees every tensor it made, also when it throws.
 */
export async function loadSavedModel(weights: ModelWeights, test: LabelledImages): Promise<LoadedModel> {
  // The random draw is overwritten at once; seeded only because createMlp needs a stream.
  const model = createMlp(weights.config.model, new SeededRandom(1));
  try {
    assignParameters(model, weights.parameters);
    const split = toTensorSplit(test, allIndices(test.count), weights.normalization);
    let evaluation: Evaluation;
    try {
      evaluation = await evaluate(model, split, weights.config.loss);
    } finally {
      disposeSplit(split);
    }
    const predictor = await Predictor.fromMlp(model, weights.normalization, weights.origin);
    return { predictor, test: evaluation };
  } finally {
    disposeMlp(model);
  }
}
