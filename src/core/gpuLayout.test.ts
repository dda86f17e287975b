import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from './config.ts';
import { GPU_REGION_ALIGN, gpuLayout, gpuLimitProblem } from './gpuLayout.ts';

const config: TrainingConfig = {
  ...DEFAULT_CONFIG,
  optimizer: { ...DEFAULT_CONFIG.optimizer, kind: 'adam' },
  model: {
    ...DEFAULT_CONFIG.model,
    inputDropout: 0.2,
    hiddenLayers: [
      { units: 37, activation: 'relu', dropout: 0.3, batchNorm: true },
      { units: 13, activation: 'tanh', dropout: 0, batchNorm: false },
    ],
  },
};

describe('gpuLayout', () => {
  it('lays the parameters flat and unpadded: kernels, then biases, then γ and β', () => {
    const layout = gpuLayout(config, 7, 100);
    expect(layout.layers.map((l) => [l.kernel, l.bias, l.gamma, l.beta])).toEqual([
      [0, 784 * 37 + 37 * 13 + 13 * 10, 784 * 37 + 37 * 13 + 13 * 10 + 60, 784 * 37 + 37 * 13 + 13 * 10 + 97],
      [784 * 37, 784 * 37 + 37 * 13 + 13 * 10 + 37, null, null],
      [784 * 37 + 37 * 13, 784 * 37 + 37 * 13 + 13 * 10 + 50, null, null],
    ]);
    expect(layout.decayFloats).toBe(784 * 37 + 37 * 13 + 13 * 10);
    expect(layout.paramFloats).toBe(layout.decayFloats + 37 + 13 + 10 + 2 * 37);
  });

  it('gives every activation region its own aligned span of the activations buffer', () => {
    const batch = 7;
    const layout = gpuLayout(config, batch, 100);
    const regions: [number, number][] = [[layout.inputMask ?? -1, 784]];
    for (const l of layout.layers) {
      for (const at of [l.z, l.y, l.h, l.mask, l.dz]) if (at !== null) regions.push([at, l.fanOut]);
    }
    regions.sort((a, b) => a[0] - b[0]);
    regions.forEach(([at, width], i) => {
      expect(at % GPU_REGION_ALIGN).toBe(0);
      const next = regions[i + 1]?.[0] ?? layout.activationBytes;
      expect(next - at).toBeGreaterThanOrEqual(batch * width * 4);
    });
    const [first, second, output] = layout.layers;
    expect([first?.y === null, first?.mask === null, second?.y, second?.mask, output?.h]).toEqual([
      false,
      false,
      null,
      null,
      null,
    ]);
  });

  it('sums its buffers, resident images or the augmented batch, and the optimizer state', () => {
    const layout = gpuLayout(config, 7, 100);
    const names = layout.buffers.map((b) => b.name);
    expect(names).toContain('optimizer state 2');
    expect(names).toContain('batch-norm statistics');
    expect(layout.buffers.find((b) => b.name === 'pixels')?.bytes).toBe(78_400);
    expect(layout.totalBytes).toBe(layout.buffers.reduce((sum, b) => sum + b.totalBytes, 0));
    const augmented = gpuLayout({ ...config, data: { ...config.data, rotationDegrees: 10 } }, 7, 100);
    expect(augmented.pixelBytes).toBe(7 * 784);
    const sgd = gpuLayout({ ...config, optimizer: { ...config.optimizer, kind: 'sgd' } }, 7);
    expect(sgd.buffers.some((b) => b.name.startsWith('optimizer state'))).toBe(false);
    expect(() => gpuLayout(config, 0)).toThrow(/positive integer/);
  });

  it('names the first buffer a device cannot make or bind', () => {
    const layout = gpuLayout(config, 60_000);
    const roomy = { maxBufferSize: 2 ** 32, maxStorageBufferBindingSize: 2 ** 31 };
    expect(gpuLimitProblem(layout, roomy)).toBeNull();
    const defaults = { maxBufferSize: 268_435_456, maxStorageBufferBindingSize: 134_217_728 };
    expect(gpuLimitProblem(layout, defaults)).toMatch(
      /activations buffer would need .* more than a shader may bind/,
    );
  });
});
