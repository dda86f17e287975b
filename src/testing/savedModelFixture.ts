import { DEFAULT_CONFIG, type TrainingConfig } from '../core/config.ts';
import type { SavedModel } from '../core/modelFile.ts';
import { parameterLayout, sizeOf } from '../core/modelParameters.ts';
import { SeededRandom } from '../core/random.ts';

/**
 * A valid {@link SavedModel} for tests: seeded weights of `config`'s shapes (784-128-64-10 by
 * default); override any other field with `overrides`.
 */
export function makeSavedModel(
  config: TrainingConfig = DEFAULT_CONFIG,
  overrides: Partial<Omit<SavedModel, 'config'>> = {},
  seed = 3,
): SavedModel {
  const rng = new SeededRandom(seed);
  const parameters = parameterLayout(config.model).map(({ name, shape }) => ({
    name,
    shape,
    data: Float32Array.from({ length: sizeOf(shape) }, () => rng.nextNormal() * 0.1),
  }));
  return {
    name: 'digits',
    savedAt: Date.UTC(2026, 10, 24, 12, 30),
    config,
    normalization: { mean: 0.1307, std: 0.3081 },
    origin: { epoch: 2, step: 844 },
    testAccuracy: 0.9731,
    parameters,
    ...overrides,
  };
}
