import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from './config.ts';
import { chooseEngine } from './engines.ts';

const withLayers = (hiddenLayers: TrainingConfig['model']['hiddenLayers']): TrainingConfig => ({
  ...DEFAULT_CONFIG,
  model: { ...DEFAULT_CONFIG.model, hiddenLayers },
});

describe('chooseEngine', () => {
  const plain = withLayers([
    { units: 13, activation: 'relu', dropout: 0, batchNorm: false },
    { units: 9, activation: 'relu', dropout: 0, batchNorm: false },
  ]);

  it('uses the fused kernel on CPU backends and TF.js ops on GPU backends in auto mode', () => {
    expect(chooseEngine(plain, 'auto', 'wasm').path).toBe('fused');
    expect(chooseEngine(plain, 'auto', 'cpu').path).toBe('fused');
    expect(chooseEngine(plain, 'auto', 'webgl').path).toBe('tfjs');
    expect(chooseEngine(plain, 'auto', 'webgpu').reason).toMatch(/GPU/);
  });

  it('runs batch norm in the fused kernel like any other config', () => {
    const withNorm = withLayers([{ units: 8, activation: 'relu', dropout: 0, batchNorm: true }]);
    expect(chooseEngine(withNorm, 'auto', 'wasm').path).toBe('fused');
    expect(chooseEngine(withNorm, 'fused', 'wasm').path).toBe('fused');
    expect(chooseEngine(withNorm, 'auto', 'webgl').path).toBe('tfjs');
  });

  it('honours an explicit choice', () => {
    expect(chooseEngine(plain, 'tfjs', 'wasm').path).toBe('tfjs');
    expect(chooseEngine(plain, 'fused', 'webgl').path).toBe('fused');
  });

  it('names the kernel build, and falls back to TF.js ops where no build runs', () => {
    expect(chooseEngine(plain, 'auto', 'wasm', 'relaxed')).toEqual({
      path: 'fused',
      reason: 'fused WebAssembly SIMD kernel with FMA (relaxed SIMD): the wasm backend runs on the CPU',
    });
    expect(chooseEngine(plain, 'fused', 'wasm', 'simd').reason).toBe(
      'fused WebAssembly SIMD kernel, as chosen',
    );
    expect(chooseEngine(plain, 'fused', 'wasm', null)).toEqual({
      path: 'tfjs',
      reason: 'TF.js ops: no WebAssembly SIMD here for the fused kernel',
    });
  });
});
