import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mnistDataDir } from './nodeData.ts';
import { augmentImage, type AugmentationOptions } from '../core/augment.ts';
import { DEFAULT_CONFIG, validateConfig, type TrainingConfig } from '../core/config.ts';
import { MNIST_PIXELS, parseIdxImages } from '../core/idx.ts';
import { SeededRandom } from '../core/random.ts';
import { PYTHON_WITH_TORCH, runPython } from './pythonForTests.ts';
import { pytorchScript } from '../core/export/pytorchScript.ts';
import { PYTHON_AUGMENTATION } from '../core/export/pytorchScriptParts.ts';

/**
 * The exported script in PyTorch itself, where a Python with `torch` exists (not on CI): its
 * augmentation against the playground's on real digits, and short runs on real MNIST that must
 * learn. Skipped with a message otherwise.
 */

if (PYTHON_WITH_TORCH === null) {
  console.warn(
    'pytorchScript.torch.test: skipped, no Python here imports torch (set $PYTHON to one that does)',
  );
}

const MNIST = mnistDataDir();
const testImages = parseIdxImages(
  new Uint8Array(readFileSync(join(MNIST, 't10k-images-idx3-ubyte'))),
  't10k-images-idx3-ubyte',
);

/** Trains `config`'s script with `flags`; the final test accuracy (0–1) and the whole output. */
function trainScript(config: TrainingConfig, flags: string[]): { accuracy: number; output: string } {
  const path = join(mkdtempSync(join(tmpdir(), 'pytorch-run-')), 'train.py');
  writeFileSync(path, pytorchScript(config));
  const output = execFileSync(PYTHON_WITH_TORCH ?? 'python3', [path, MNIST, ...flags], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  const match = /test accuracy, final weights: ([\d.]+)%/.exec(output);
  return { accuracy: Number(match?.[1] ?? Number.NaN) / 100, output };
}

describe.skipIf(PYTHON_WITH_TORCH === null)('the PyTorch script in PyTorch', () => {
  it('augments as the playground does (rotation, crop, shift) on real digits', () => {
    const options: AugmentationOptions = { rotationDegrees: 25, cropPadding: 3, shiftPixels: 2 };
    const count = 40;
    const rng = new SeededRandom(9);
    const expected = new Uint8Array(count * MNIST_PIXELS);
    const draws = { angles: [] as number[], crop: [] as number[][], shift: [] as number[][] };
    const offset = (r: SeededRandom, radius: number) => r.nextInt(2 * radius + 1) - radius;
    for (let i = 0; i < count; i++) {
      // The draws augmentImage makes, read from a copy of its stream in the same order.
      const copy = new SeededRandom(0);
      copy.setState(rng.state());
      draws.angles.push(((copy.nextFloat() * 2 - 1) * options.rotationDegrees * Math.PI) / 180);
      draws.crop.push([offset(copy, options.cropPadding), offset(copy, options.cropPadding)]);
      draws.shift.push([offset(copy, options.shiftPixels), offset(copy, options.shiftPixels)]);
      augmentImage(testImages.pixels, i * MNIST_PIXELS, expected, i * MNIST_PIXELS, options, rng);
      expect(copy.state()).toEqual(rng.state());
    }
    const code = [
      'import json, math, sys',
      'import torch',
      'import torch.nn.functional as F',
      PYTHON_AUGMENTATION,
      'd = json.load(sys.stdin)',
      'pixels = torch.tensor(d["pixels"], dtype=torch.uint8).reshape(-1, 784)',
      'out = augment_with(pixels, torch.tensor(d["angles"], dtype=torch.float64), torch.tensor(d["crop"]), torch.tensor(d["shift"]))',
      'print(json.dumps(out.flatten().tolist()))',
    ].join('\n');
    const input = JSON.stringify({
      pixels: Array.from(testImages.pixels.subarray(0, count * MNIST_PIXELS)),
      ...draws,
    });
    const actual = JSON.parse(runPython(PYTHON_WITH_TORCH ?? 'python3', code, input)) as number[];
    expect(actual).toHaveLength(expected.length);
    // Bilinear weights in another order of float operations: a value may round the other way at .5.
    const differences = actual.map((value, i) => Math.abs(value - (expected[i] ?? 0)));
    expect(Math.max(...differences)).toBeLessThanOrEqual(1);
    expect(differences.filter((d) => d > 0).length).toBeLessThan(expected.length / 1000);
  });

  it('the 784-250-100-10 notebook preset learns in one epoch on 2,000 examples', () => {
    const file = join(import.meta.dirname, '..', '..', 'configs', 'mlp-784-250-100-10-adam.json');
    const result = validateConfig(JSON.parse(readFileSync(file, 'utf8')));
    if (!result.ok) throw new Error('preset invalid');
    const { accuracy, output } = trainScript(result.config, ['--epochs', '1', '--subset', '2000']);
    expect(output).toMatch(/epoch {3}1\/1 {2}train loss [\d.]+ acc +[\d.]+% {2}val loss [\d.]+ acc/);
    expect(output).toContain('test accuracy, best weights:');
    expect(accuracy).toBeGreaterThan(0.7);
  });

  it('every feature at once: batch norm with a batch of one, dropout, augmentation, hinge, AdamW, cosine', () => {
    const config: TrainingConfig = {
      ...DEFAULT_CONFIG,
      model: {
        inputDropout: 0.1,
        init: 'glorot',
        hiddenLayers: [
          { units: 64, activation: 'gelu', dropout: 0.2, batchNorm: true },
          { units: 32, activation: 'leakyRelu', dropout: 0, batchNorm: false },
          { units: 16, activation: 'selu', dropout: 0, batchNorm: true },
        ],
      },
      loss: { kind: 'hinge', l1: 1e-6, l2: 1e-5, labelSmoothing: 0 },
      optimizer: { ...DEFAULT_CONFIG.optimizer, kind: 'adamw', learningRate: 0.003 },
      schedule: { kind: 'cosine', stepEpochs: 1, gamma: 0.5, minLearningRate: 0.0001 },
      training: { gradientDescent: 'miniBatch', batchSize: 32, epochs: 2 },
      data: {
        ...DEFAULT_CONFIG.data,
        rotationDegrees: 10,
        cropPadding: 2,
        shiftPixels: 1,
        splitMethod: 'first',
      },
    };
    // 1,985 = 62 · 32 + 1: each epoch ends in a batch of one example.
    const { accuracy, output } = trainScript(config, ['--subset', '1985']);
    expect(output).toContain('epoch   2/2');
    expect(accuracy).toBeGreaterThan(0.5);
  });

  it('stochastic and full-batch gradient descent, no validation split', () => {
    const base = { ...DEFAULT_CONFIG, data: { ...DEFAULT_CONFIG.data, validationFraction: 0 } };
    const stochastic = trainScript(
      {
        ...base,
        optimizer: { ...base.optimizer, kind: 'sgd', learningRate: 0.01 },
        training: { ...base.training, gradientDescent: 'stochastic' },
      },
      ['--epochs', '1', '--subset', '400'],
    );
    expect(stochastic.output).not.toContain('val loss');
    expect(stochastic.output).not.toContain('best weights');
    expect(stochastic.accuracy).toBeGreaterThan(0.5);
    const fullBatch = trainScript(
      {
        ...base,
        optimizer: { ...base.optimizer, learningRate: 0.01 },
        training: { ...base.training, gradientDescent: 'fullBatch' },
      },
      ['--epochs', '3', '--subset', '1000'],
    );
    expect(fullBatch.output).toContain('batch 1000;');
    expect(fullBatch.accuracy).toBeGreaterThan(0.3);
  });
});
