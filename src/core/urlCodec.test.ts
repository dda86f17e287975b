import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from './config.ts';
import { decodeConfigFromSearch, encodeConfigToSearch, MAX_CONFIG_PARAM_LENGTH } from './urlCodec.ts';

const COMPLEX: TrainingConfig = {
  ...DEFAULT_CONFIG,
  name: 'Größer — with “quotes” & ünïcode',
  seed: 4_294_967_295,
  model: {
    hiddenLayers: [
      { units: 512, activation: 'gelu', dropout: 0.5, batchNorm: true },
      { units: 1, activation: 'leakyRelu', dropout: 0, batchNorm: false },
      { units: 4096, activation: 'tanh', dropout: 0.9, batchNorm: true },
    ],
    inputDropout: 0.2,
    init: 'smallNormal',
  },
  loss: { kind: 'hinge', l2: 1e-4, l1: 0.5, labelSmoothing: 0.1 },
  optimizer: { ...DEFAULT_CONFIG.optimizer, kind: 'rmsprop', learningRate: 3.5e-4, rho: 0.95, epsilon: 1e-7 },
  schedule: { kind: 'cosine', stepEpochs: 3, gamma: 0.1, minLearningRate: 1e-6 },
  training: { gradientDescent: 'stochastic', batchSize: 1, epochs: 1000 },
  data: {
    normalization: 'standardize',
    rotationDegrees: 12.5,
    cropPadding: 4,
    shiftPixels: 2,
    validationFraction: 0.5,
    splitMethod: 'first',
    trainingExamples: 1000,
    labelNoise: 0.25,
  },
};

/** base64url of raw bytes or UTF-8 text, written independently of the codec. */
function b64(input: string | readonly number[]): string {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : Uint8Array.from(input);
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

const hasErrors = (search: string) => {
  const decoded = decodeConfigFromSearch(search);
  expect(decoded).not.toBeNull();
  expect(decoded && 'errors' in decoded).toBe(true);
};

describe('urlCodec', () => {
  it('round-trips the default config', () => {
    expect(decodeConfigFromSearch(encodeConfigToSearch(DEFAULT_CONFIG))).toEqual({ config: DEFAULT_CONFIG });
  });

  it('round-trips a complex config and keeps the other parameters', () => {
    const search = encodeConfigToSearch(COMPLEX, '?backend=wasm');
    expect(new URLSearchParams(search).get('backend')).toBe('wasm');
    expect(search).toMatch(/^\?[A-Za-z0-9_=&-]+$/);
    expect(decodeConfigFromSearch(search)).toEqual({ config: COMPLEX });
  });

  it('replaces an earlier config in the link', () => {
    const first = encodeConfigToSearch(DEFAULT_CONFIG, '?backend=cpu');
    const second = encodeConfigToSearch(COMPLEX, first);
    expect(new URLSearchParams(second).getAll('config')).toHaveLength(1);
    expect(decodeConfigFromSearch(second)).toEqual({ config: COMPLEX });
  });

  it('says null when the link has no config', () => {
    expect(decodeConfigFromSearch('')).toBeNull();
    expect(decodeConfigFromSearch('?backend=wasm')).toBeNull();
  });

  it('turns garbage into errors, never exceptions', () => {
    hasErrors('?config=');
    hasErrors('?config=%%%');
    hasErrors('?config=not*base64!');
    hasErrors('?config=A');
    hasErrors(`?config=${b64([0xff, 0xfe, 0x00])}`);
    hasErrors(`?config=${b64('{not json')}`);
    hasErrors(`?config=${b64('null')}`);
    hasErrors(`?config=${b64('[1,2,3]')}`);
    hasErrors(`?config=${b64('"a string"')}`);
    hasErrors(`?config=${b64(JSON.stringify({ ...DEFAULT_CONFIG, seed: 'forty-two' }))}`);
    hasErrors(`?config=${b64(JSON.stringify({ ...DEFAULT_CONFIG, version: 99 }))}`);
    hasErrors(`?config=${'A'.repeat(MAX_CONFIG_PARAM_LENGTH + 4)}`);
    hasErrors(`?config=${'A'.repeat(1_000_000)}`);
  });

  it('reports field paths for invalid values', () => {
    const bad = { ...DEFAULT_CONFIG, optimizer: { ...DEFAULT_CONFIG.optimizer, learningRate: -1 } };
    const decoded = decodeConfigFromSearch(`?config=${b64(JSON.stringify(bad))}`);
    expect(decoded).toEqual({
      errors: { 'optimizer.learningRate': expect.stringContaining('Learning rate') },
    });
  });
});
