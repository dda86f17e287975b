import * as tf from '@tensorflow/tfjs-core';

/**
 * WebGPU device loss: a GPU reset, a driver update, too much GPU memory in use (or
 * `GPUDevice.destroy()`) ends the device the TF.js `webgpu` backend — and the fused WebGPU engine,
 * which shares it — runs on. Every buffer on it is gone, and TF.js's backend is dead with it: it
 * never asks for a new device. The worker watches for the loss (to stop the run and say so), can
 * cause one on request (tests and demos), and brings the backend back by registering it afresh, so
 * the next run gets a new device from a new adapter without replacing the worker.
 */

/** Why the device went (`GPUDeviceLostInfo`): `destroyed` when code destroyed it, else `unknown`. */
export interface DeviceLoss {
  readonly reason: GPUDeviceLostReason;
  readonly message: string;
}

/** TF.js's own priority for `webgpu` (its `registerBackend` call), kept when re-registering. */
const WEBGPU_PRIORITY = 3;
/** Right after a loss, Chromium answers the first `requestAdapter` with null; a new one follows. */
const ADAPTER_TRIES = 20;
const ADAPTER_RETRY_MS = 50;

/** The initialised `webgpu` backend's device, without initialising it (`tf.findBackend` would). */
function webgpuDevice(): GPUDevice | null {
  const backend = tf.engine().registry['webgpu'] as { readonly device?: GPUDevice } | undefined;
  return backend?.device ?? null;
}

/** Whether `webgpu` is the backend TF.js ops run on now. */
export function isWebgpuActive(): boolean {
  return tf.getBackend() === 'webgpu';
}

const watched = new WeakSet<GPUDevice>();

/**
 * Calls `onLost` once when the device of the `webgpu` backend (if one is up) is lost; nothing when
 * none is up or it is already watched. Call after every bring-up: a revived backend has a new device.
 */
export function watchWebgpuDeviceLoss(onLost: (loss: DeviceLoss) => void): void {
  const device = webgpuDevice();
  if (device === null || watched.has(device)) return;
  watched.add(device);
  void device.lost.then((info) => onLost({ reason: info.reason, message: info.message }));
}

/**
 * Whether the active `webgpu` backend's device is lost, for a run that just failed: a read in
 * flight when the device goes fails (`mapAsync` rejects) before `device.lost` settles, so this
 * probes the device with a 4-byte mapping and, if that fails too, waits for `lost` — by then the
 * handlers {@link watchWebgpuDeviceLoss} attached earlier have run. False on other backends.
 */
export async function isWebgpuDeviceLost(): Promise<boolean> {
  const device = isWebgpuActive() ? webgpuDevice() : null;
  if (device === null) return false;
  const probe = device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ });
  try {
    await probe.mapAsync(GPUMapMode.READ);
    return false;
  } catch {
    await device.lost;
    return true;
  } finally {
    probe.destroy();
  }
}

/** Destroys the `webgpu` backend's device, as a GPU reset would lose it; false when none is up. */
export function loseWebgpuDevice(): boolean {
  const device = webgpuDevice();
  if (device === null) return false;
  device.destroy();
  return true;
}

/** Waits until `navigator.gpu` offers an adapter again (or gives up and lets TF.js's factory fail). */
async function adapterAvailable(): Promise<void> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (gpu === undefined) return;
  for (let attempt = 0; attempt < ADAPTER_TRIES; attempt++) {
    if ((await gpu.requestAdapter()) !== null) return;
    await new Promise((resolve) => setTimeout(resolve, ADAPTER_RETRY_MS));
  }
}

/** TF.js's own `webgpu` factory, kept from the first revival on (later ones wrap it again). */
let originalFactory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | null = null;

/**
 * Replaces the dead `webgpu` backend with a fresh registration of TF.js's factory (waiting for an
 * adapter first), so the next `tf.setBackend('webgpu')` asks for a new device. Call only when
 * nothing holds tensors on the old backend any more (the lost run has ended and freed its own):
 * tensors of a removed backend cannot even be disposed. The active backend, if it was `webgpu`,
 * is unset: bring one up before the next TF.js op. No-op when `webgpu` is not registered.
 */
export function reviveWebgpuBackend(): void {
  const factory = tf.findBackendFactory('webgpu');
  if (factory === null) return;
  originalFactory ??= factory;
  const fresh = originalFactory;
  tf.removeBackend('webgpu');
  tf.registerBackend(
    'webgpu',
    async () => {
      await adapterAvailable();
      return fresh();
    },
    WEBGPU_PRIORITY,
  );
}

/**
 * What the page shows when the device is lost: what happened (the browser's own words), what it
 * cost (a run's weights lived on the GPU) and what to do.
 */
export function deviceLostMessage(loss: DeviceLoss, duringTraining: boolean): string {
  const cause =
    loss.reason === 'destroyed'
      ? 'it was destroyed'
      : 'a GPU reset, a driver update or too much GPU memory in use';
  const said = loss.message.trim() === '' ? '' : `: "${loss.message.trim()}"`;
  const cost = duringTraining ? ', so the run stopped and its weights, which lived on the GPU, are gone' : '';
  return (
    `The GPU's WebGPU device was lost${duringTraining ? ' during training' : ''} (${cause}${said})${cost}. ` +
    'Press Train to start again on a fresh device, or pick WASM.'
  );
}
