import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, OPTIMIZERS, type TrainingConfig } from './config.ts';
import { fusedLayout, WASM_PAGE_BYTES } from './fusedLayout.ts';
import { KERNEL_HEAP_BASE } from './kernelBindings.ts';

const config: TrainingConfig = {
  ...DEFAULT_CONFIG,
  model: {
    ...DEFAULT_CONFIG.model,
    inputDropout: 0.2,
    hiddenLayers: [
      { units: 100, activation: 'relu', dropout: 0.3, batchNorm: false },
      { units: 5, activation: 'linear', dropout: 0, batchNorm: false },
    ],
  },
};

describe('fusedLayout', () => {
  it('tiles the memory with 64-byte aligned regions from the kernel statics to whole pages', () => {
    const layout = fusedLayout(config, 33);
    let end = 0;
    for (const region of layout.regions) {
      expect(region.offset).toBe(end);
      expect(region.offset % 64).toBe(0);
      end += region.bytes;
    }
    expect(end).toBe(layout.memoryBytes);
    expect(layout.memoryBytes % WASM_PAGE_BYTES).toBe(0);
    expect(layout.regions[0]).toMatchObject({ name: 'kernel statics', offset: 0 });
    expect(layout.regions[1]?.offset).toBeGreaterThanOrEqual(KERNEL_HEAP_BASE);
  });

  it('gives every buffer its own region, big enough, except the documented aliases', () => {
    const batch = 33;
    const layout = fusedLayout(config, batch);
    const starts = new Map(layout.regions.map((r) => [r.offset, r.bytes]));
    const [first, second, output] = layout.layers;
    if (first === undefined || second === undefined || output === undefined) throw new Error('3 layers');
    expect(layout.layers.map((l) => [l.fanIn, l.fanOut, l.inPad, l.outPad])).toEqual([
      [784, 100, 784, 104],
      [100, 5, 104, 8],
      [5, 10, 8, 16],
    ]);
    expect(layout.paramFloats).toBe(784 * 104 + 104 + 104 * 8 + 8 + 8 * 16 + 16);
    for (const offset of [layout.params, layout.grads, layout.state1, layout.state2]) {
      expect(starts.get(offset ?? -1)).toBeGreaterThanOrEqual(layout.paramFloats * 4);
    }
    for (const l of layout.layers) {
      for (const offset of [l.z, l.a, l.h, l.dh, l.dz, ...(l.mask === null ? [] : [l.mask])]) {
        expect(starts.get(offset)).toBeGreaterThanOrEqual(batch * l.outPad * 4);
      }
      expect(l.gw - l.w).toBe(layout.grads - layout.params);
      expect(l.b - l.w).toBe(l.inPad * l.outPad * 4);
    }
    // Dropout: its own mask and output; linear: the activation is the pre-activation.
    expect(new Set([first.z, first.a, first.mask, first.h]).size).toBe(4);
    expect([second.a, second.h, second.mask]).toEqual([second.z, second.z, null]);
    expect([output.activation, output.mask]).toEqual(['linear', null]);
    expect(starts.get(layout.inputMask ?? -1)).toBeGreaterThanOrEqual(batch * 784 * 4);
    expect(starts.get(layout.pixels)).toBeGreaterThanOrEqual(60_000 * 784);
  });

  it('keeps only the optimizer state its update reads', () => {
    const states = OPTIMIZERS.map((kind) => {
      const layout = fusedLayout({ ...config, optimizer: { ...config.optimizer, kind } }, 8);
      return [kind, layout.state1 !== null, layout.state2 !== null];
    });
    expect(states).toEqual([
      ['sgd', false, false],
      ['momentum', true, false],
      ['adam', true, true],
      ['adamw', true, true],
      ['rmsprop', true, false],
      ['adagrad', false, true],
    ]);
  });

  it('stages only the batch when augmenting, else holds the resident file', () => {
    const augmented = { ...config, data: { ...config.data, rotationDegrees: 10 } };
    const pixels = (c: TrainingConfig, images?: number) => {
      const layout = fusedLayout(c, 64, images);
      return layout.regions.find((r) => r.offset === layout.pixels);
    };
    expect(pixels(augmented)).toMatchObject({ kind: 'activations', bytes: 64 * 784 });
    expect(pixels(config, 100)).toMatchObject({ kind: 'dataset', bytes: 100 * 784 });
  });

  it('puts batch norm’s γ and β after its layer’s bias in the parameters, and its buffers apart', () => {
    const batch = 33;
    const normalised: TrainingConfig = {
      ...config,
      model: {
        ...config.model,
        hiddenLayers: [
          { units: 100, activation: 'relu', dropout: 0.3, batchNorm: true },
          { units: 5, activation: 'linear', dropout: 0, batchNorm: true },
        ],
      },
    };
    const layout = fusedLayout(normalised, batch);
    const starts = new Map(layout.regions.map((r) => [r.offset, r.bytes]));
    const [first, second, output] = layout.layers;
    if (first?.batchNorm == null || second?.batchNorm == null || output === undefined)
      throw new Error('two batch-norm layers and an output layer');
    expect(output.batchNorm).toBeNull();
    expect(layout.paramFloats).toBe(784 * 104 + 3 * 104 + 104 * 8 + 3 * 8 + 8 * 16 + 16);
    for (const l of [first, second]) {
      const bn = l.batchNorm;
      if (bn === null) throw new Error('batch norm');
      expect([bn.gamma - l.b, bn.beta - l.b]).toEqual([l.outPad * 4, l.outPad * 8]);
      expect([bn.gradGamma - bn.gamma, bn.gradBeta - bn.beta]).toEqual([
        layout.grads - layout.params,
        layout.grads - layout.params,
      ]);
      for (const offset of [bn.runningMean, bn.runningVar, bn.mean, bn.invStd])
        expect(starts.get(offset)).toBeGreaterThanOrEqual(l.outPad * 4);
      expect(starts.get(bn.output)).toBeGreaterThanOrEqual(batch * l.outPad * 4);
    }
    // The activation reads batch norm's output (itself when linear), not the dense output z.
    expect(new Set([first.z, first.batchNorm.output, first.a, first.h]).size).toBe(4);
    expect([second.a, second.h]).toEqual([second.batchNorm.output, second.batchNorm.output]);
    const next = fusedLayout({ ...normalised, model: { ...normalised.model, hiddenLayers: [] } }, batch);
    expect(next.layers[0]?.batchNorm).toBeNull();
  });
});
