import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/random.ts';
import { createMlp, disposeMlp } from '../ml/mlp.ts';
import { Predictor } from '../ml/predictor.ts';
import { hiddenLayer, syntheticImages } from '../ml/testData.ts';
import { SUPERSEDED, UnitTopImageScans } from './unitTopImages.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const stats = { mean: 0.1307, std: 0.3081 };
/** 1,200 images: more than two slices of a scan. */
const test = syntheticImages(1200, 4);
const immediately = () => Promise.resolve();

async function predictorWith(batchNorm: boolean): Promise<Predictor> {
  const hiddenLayers = [hiddenLayer(12, { batchNorm }), hiddenLayer(6, { activation: 'tanh' })];
  const model = createMlp({ hiddenLayers, inputDropout: 0, init: 'he' }, new SeededRandom(3));
  try {
    return await Predictor.fromMlp(model, stats, { epoch: 1, step: 0 });
  } finally {
    disposeMlp(model);
  }
}

/** Every image's unit output by the full forward pass (`inspect`), the reference. */
function reference(predictor: Predictor, layer: number, unit: number): number[] {
  return Array.from({ length: test.count }, (_, i) => {
    const pixels = test.pixels.subarray(i * 784, (i + 1) * 784);
    return predictor.inspect(pixels).activations[layer]?.[unit] ?? NaN;
  });
}

describe('UnitTopImageScans (the nine test images that excite a unit most)', () => {
  it.each([
    [0, 5, false],
    [0, 2, true],
    [1, 4, false],
  ] as const)(
    'layer %i unit %i (batch norm %s): the top rows, in descending order',
    async (layer, unit, bn) => {
      const predictor = await predictorWith(bn);
      const expected = reference(predictor, layer, unit);
      const scanned = new Float32Array(test.count);
      expect(predictor.unitActivations(test.pixels, 0, test.count, { layer, unit }, scanned)).toBe(true);
      scanned.forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? NaN, 4));

      const top = await new UnitTopImageScans(immediately).scan(predictor, test, layer, unit);
      const order = Array.from(expected.keys()).sort(
        (a, b) => (expected[b] ?? 0) - (expected[a] ?? 0) || a - b,
      );
      expect([...(top?.indices ?? [])]).toEqual(order.slice(0, 9));
      const activations = [...(top?.activations ?? [])];
      activations.forEach((a, k) => expect(a).toBeCloseTo(expected[order[k] ?? -1] ?? NaN, 4));
      expect(activations.every((a, k) => k === 0 || a <= (activations[k - 1] ?? Infinity))).toBe(true);
      const first = order[0] ?? 0;
      expect(top?.images.subarray(0, 784)).toEqual(test.pixels.subarray(first * 784, (first + 1) * 784));
      expect(top?.labels[0]).toBe(test.labels[first]);
      expect(top?.scanned).toBe(1200);
    },
  );

  it('answers a remembered unit from its cache, as a copy; null for a unit that does not exist', async () => {
    const predictor = await predictorWith(false);
    const scans = new UnitTopImageScans(immediately);
    const first = await scans.scan(predictor, test, 0, 1);
    const again = await scans.scan(predictor, test, 0, 1);
    expect(again).toEqual(first);
    expect(again?.images).not.toBe(first?.images);
    expect(await scans.scan(predictor, test, 0, 12)).toBeNull();
    expect(await scans.scan(predictor, test, 2, 0)).toBeNull(); // the output layer is not hidden
  });

  it('stops an older scan when a newer one starts', async () => {
    const predictor = await predictorWith(false);
    let turns = 0;
    let clock = 0;
    const scans = new UnitTopImageScans(
      async () => {
        turns += 1;
        await Promise.resolve();
      },
      () => (clock += 10), // every block takes longer than a slice: a turn after each
    );
    const older = scans.scan(predictor, test, 0, 3);
    const newer = scans.scan(predictor, test, 0, 4);
    await expect(older).rejects.toThrow(SUPERSEDED);
    expect((await newer)?.indices).toHaveLength(9);
    expect(turns).toBeGreaterThanOrEqual(1200 / 50 - 1);
  });
});
