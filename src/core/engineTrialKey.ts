import type { BackendChoice } from './backends.ts';
import { effectiveBatchSize, layerSizes, type TrainingConfig } from './config.ts';

/**
 * What a measured engine choice is kept under (`worker/engineTrialCache.ts`): the device and the
 * model's shape — what changes which candidate of `engineTrial.ts` is fastest — and nothing that
 * does not (seed, epochs, learning rate), so runs that differ only there reuse the choice.
 */

/** The machine, as far as it changes which candidate is fastest (part of the cache key). */
export interface DeviceDescription {
  /** The WebGPU adapter's `vendor / architecture / description`, or `none`. */
  readonly gpuAdapter: string;
  /** The WebGL renderer (unmasked where the browser allows), or `none`. */
  readonly webglRenderer: string;
  /** `navigator.hardwareConcurrency`. */
  readonly cores: number;
  /** Browser and major version, e.g. `Chrome 156` ({@link browserVersion}). */
  readonly browser: string;
  /** Cross-origin isolation: the fused kernel's threads and TF.js WASM threads need it. */
  readonly crossOriginIsolated: boolean;
}

/**
 * Browser and major version from a user agent: `Firefox 140`, `Edge 156`, `Chrome 156`,
 * `Safari 18`; the whole string when it is none of those (still a fine key).
 */
export function browserVersion(userAgent: string): string {
  const patterns: readonly (readonly [string, RegExp])[] = [
    ['Firefox', /Firefox\/(\d+)/],
    ['Edge', /Edg\/(\d+)/],
    ['Chrome', /(?:Chrome|Chromium)\/(\d+)/],
    ['Safari', /Version\/(\d+).*Safari\//],
    ['Node', /Node\.js\/v?(\d+)/],
  ];
  for (const [name, pattern] of patterns) {
    const match = pattern.exec(userAgent);
    if (match) return `${name} ${match[1]}`;
  }
  return userAgent;
}

/** What of a model changes the candidates' relative speed (the other part of the cache key). */
export interface ModelShape {
  /** Layer widths, input and output included, e.g. `[784, 128, 64, 10]`. */
  readonly widths: readonly number[];
  /** Batch norm on each hidden layer. */
  readonly batchNorm: readonly boolean[];
  /** Examples per step. */
  readonly batchSize: number;
  readonly optimizer: string;
}

/** The shape of `config`'s model, as the cache key sees it. */
export function modelShape(config: TrainingConfig): ModelShape {
  return {
    widths: layerSizes(config),
    batchNorm: config.model.hiddenLayers.map((layer) => layer.batchNorm),
    batchSize: effectiveBatchSize(config),
    optimizer: config.optimizer.kind,
  };
}

/**
 * The key a measured choice is kept under: the device, the model's shape and the backend the user
 * chose (a forced backend has other candidates). Readable on purpose (it shows in devtools).
 */
export function engineTrialKey(device: DeviceDescription, shape: ModelShape, backend: BackendChoice): string {
  return [
    device.browser,
    `${device.cores} cores`,
    device.crossOriginIsolated ? 'isolated' : 'not isolated',
    `webgpu: ${device.gpuAdapter}`,
    `webgl: ${device.webglRenderer}`,
    shape.widths.join('-'),
    `bn ${shape.batchNorm.map((on) => (on ? 1 : 0)).join('')}`,
    `batch ${shape.batchSize}`,
    shape.optimizer,
    `backend ${backend}`,
  ].join(' | ');
}
