import type { TrainingConfig } from '../core/config.ts';
import type { SavedModel } from '../core/modelFile.ts';
import { parameterLayout, sizeOf } from '../core/modelParameters.ts';
import type { NormalizationStats } from '../core/normalization.ts';
import { SeededRandom } from '../core/random.ts';
import { makeSavedModel } from './savedModelFixture.ts';

/**
 * A {@link SavedModel} whose every tensor looks trained, for tests that compare an exported model's
 * predictions with our forward pass: He-scaled kernels, non-zero biases, batch norm with γ ≠ 1,
 * β ≠ 0, running means off zero and running variances in [0.5, 3] (positive, as a variance must
 * be). Zero biases or identity batch norm would let an export that drops them pass.
 */
export function plausibleSavedModel(
  config: TrainingConfig,
  normalization: NormalizationStats,
  seed = 7,
): SavedModel {
  const rng = new SeededRandom(seed);
  const draw = (name: string, shape: readonly number[]): number => {
    if (name.endsWith('.kernel')) return rng.nextNormal() * Math.sqrt(2 / (shape[0] ?? 1));
    if (name.endsWith('.gamma')) return 1 + rng.nextNormal() * 0.2;
    if (name.endsWith('.runningMean')) return rng.nextNormal() * 0.5;
    if (name.endsWith('.runningVar')) return 0.5 + 2.5 * rng.nextFloat();
    return rng.nextNormal() * 0.1; // biases and β
  };
  const parameters = parameterLayout(config.model).map(({ name, shape }) => ({
    name,
    shape,
    data: Float32Array.from({ length: sizeOf(shape) }, () => draw(name, shape)),
  }));
  return makeSavedModel(config, { normalization, parameters });
}
