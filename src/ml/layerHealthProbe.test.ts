import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { l2Norm } from '../core/layerHealth.ts';
import { SeededRandom } from '../core/random.ts';
import { kernelGradients, measureLayerHealth, spreadRows } from './layerHealthProbe.ts';
import { createMlp, disposeMlp, forward, type Mlp } from './mlp.ts';

const ROWS = 5;
const INPUTS = 784;
const UNITS = 3;
const CLASSES = 10;

let model: Mlp;
let probe: tf.Tensor2D;
const labels = Int32Array.of(0, 3, 9, 3, 7);

beforeAll(async () => {
  await tf.setBackend('cpu');
  const hiddenLayers = [{ units: UNITS, activation: 'relu' as const, dropout: 0, batchNorm: false }];
  model = createMlp({ hiddenLayers, inputDropout: 0, init: 'he' }, new SeededRandom(7));
  const rng = new SeededRandom(8);
  probe = tf.tensor2d(
    Float32Array.from({ length: ROWS * INPUTS }, () => rng.nextFloat() * 2 - 1),
    [ROWS, INPUTS],
  );
});

afterAll(() => {
  disposeMlp(model);
  probe.dispose();
});

/** ‖∂L/∂W1‖ and ‖∂L/∂W2‖ of 784-3(ReLU)-10 by hand: mean cross-entropy, backpropagated in plain loops. */
function directGradientNorms(): [number, number] {
  const x = probe.dataSync();
  const w1 = model.kernels[0]?.dataSync() ?? new Float32Array(0);
  const b1 = model.hidden[0]?.dense.bias.dataSync() ?? new Float32Array(0);
  const w2 = model.output.kernel.dataSync();
  const b2 = model.output.bias.dataSync();
  const g1 = new Float64Array(INPUTS * UNITS);
  const g2 = new Float64Array(UNITS * CLASSES);
  for (let r = 0; r < ROWS; r++) {
    const z = Array.from({ length: UNITS }, (_, u) => {
      let s = b1[u] ?? 0;
      for (let i = 0; i < INPUTS; i++) s += (x[r * INPUTS + i] ?? 0) * (w1[i * UNITS + u] ?? 0);
      return s;
    });
    const h = z.map((v) => Math.max(0, v));
    const logits = Array.from({ length: CLASSES }, (_, c) => {
      let s = b2[c] ?? 0;
      h.forEach((hv, u) => (s += hv * (w2[u * CLASSES + c] ?? 0)));
      return s;
    });
    const top = Math.max(...logits);
    const exps = logits.map((l) => Math.exp(l - top));
    const total = exps.reduce((a, b) => a + b, 0);
    const dLogits = exps.map((e, c) => (e / total - (c === labels[r] ? 1 : 0)) / ROWS);
    h.forEach((hv, u) =>
      dLogits.forEach((d, c) => (g2[u * CLASSES + c] = (g2[u * CLASSES + c] ?? 0) + hv * d)),
    );
    z.forEach((zv, u) => {
      if (zv <= 0) return;
      let dh = 0;
      dLogits.forEach((d, c) => (dh += d * (w2[u * CLASSES + c] ?? 0)));
      for (let i = 0; i < INPUTS; i++)
        g1[i * UNITS + u] = (g1[i * UNITS + u] ?? 0) + (x[r * INPUTS + i] ?? 0) * dh;
    });
  }
  return [l2Norm(g1), l2Norm(g2)];
}

describe('layer health on a probe batch', () => {
  it('spreads the gradient rows evenly over the probe batch', () => {
    expect([...spreadRows(10, 4)]).toEqual([0, 3, 6, 9]);
    expect([...spreadRows(3, 500)]).toEqual([0, 1, 2]);
  });

  it('gives each kernel the gradient norm of a direct computation', async () => {
    const norms = (await kernelGradients(model, probe, labels)).map((g) => l2Norm(g));
    const [hidden, output] = directGradientNorms();
    expect(norms).toHaveLength(2);
    expect(norms[0]).toBeCloseTo(hidden, 4);
    expect(norms[1]).toBeCloseTo(output, 4);
    expect(output).toBeGreaterThan(0);
  });

  it('measures every layer, with the update ratio from the second epoch on, leaking no tensors', async () => {
    const activations = tf.tidy(() => {
      const { hidden, logits } = forward(model, probe, null);
      return [...hidden, logits];
    });
    const values = (await Promise.all(activations.map((t) => t.data<'float32'>()))) as Float32Array[];
    tf.dispose(activations);
    const previousKernels: Float32Array[] = [];
    const inputs = {
      model,
      probe,
      probeLabels: labels,
      gradientRows: spreadRows(ROWS),
      activations: values,
      names: ['H', 'Out'],
      previousKernels,
    };
    const before = tf.memory().numTensors;
    const first = await measureLayerHealth(inputs);
    expect(first.map((l) => [l.name, l.updateRatio])).toEqual([
      ['H', null],
      ['Out', null],
    ]);
    expect(first[0]?.weights.counts.reduce((a, b) => a + b, 0)).toBe(INPUTS * UNITS);
    expect(first[1]?.gradients.counts.reduce((a, b) => a + b, 0)).toBe(UNITS * CLASSES);
    expect(first[1]?.gradientNorm).toBeCloseTo(directGradientNorms()[1], 4);
    expect(first[0]?.activations.counts.reduce((a, b) => a + b, 0)).toBe(ROWS * UNITS);
    expect(first[0]?.inactive?.kind).toBe('dead');
    expect(first[1]?.inactive).toBeNull();

    const kernel = model.output.kernel.dataSync().slice();
    tf.tidy(() =>
      model.output.kernel.assign(
        tf.tensor2d(
          kernel.map((v) => v * 1.1),
          [UNITS, CLASSES],
        ),
      ),
    );
    const second = await measureLayerHealth(inputs);
    expect(second[0]?.updateRatio).toBe(0);
    // W' = 1.1 W: ‖W' − W‖ / ‖W'‖ = 0.1 / 1.1.
    expect(second[1]?.updateRatio).toBeCloseTo(0.1 / 1.1, 5);
    tf.tidy(() => model.output.kernel.assign(tf.tensor2d(kernel, [UNITS, CLASSES])));
    expect(tf.memory().numTensors).toBe(before);
  });
});
