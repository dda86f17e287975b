import * as tf from '@tensorflow/tfjs-core';
import type { BackendChoice, BackendName } from '../core/backends.ts';

/**
 * Picks a TF.js backend. `auto` walks webgpu → webgl → wasm → cpu and keeps the first one that
 * initialises *and* computes a small matMul correctly, because a backend can register yet fail
 * (no adapter, lost context, blocked WASM); backends the caller defers (a GPU backend on a
 * software rasteriser) go last. This is only where a page starts: at Train, `auto` measures the
 * engines on every backend (`engineTrial.ts`). A forced choice is tried alone and fails loudly.
 */

export const AUTO_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface BackendSelection {
  readonly name: BackendName;
  /** One line per backend skipped on the way, saying why. */
  readonly notes: string[];
}

export interface SelectOptions {
  /**
   * For `auto`: a reason to try a backend only after the others, e.g. a GPU backend running on a
   * software rasteriser (SwiftShader), which is usually far slower than WASM (an ordering hint:
   * the engine trial still measures it). `null` = in its place.
   */
  readonly deferReason?: (name: BackendName) => Promise<string | null>;
}

/** Runs `[[1,2],[3,4]] · [[1,2],[3,4]]` on the active backend and checks the answer. */
async function proveBackend(): Promise<void> {
  const product = tf.tidy(() => {
    const m = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    return tf.matMul(m, m);
  });
  const values = Array.from(await product.data());
  product.dispose();
  const expected = [7, 10, 15, 22];
  if (values.some((v, i) => Math.abs(v - (expected[i] ?? 0)) > 1e-3)) {
    throw new Error(`computed [${values.join(', ')}] instead of [${expected.join(', ')}]`);
  }
}

/**
 * Makes `name` the active TF.js backend (initialising it the first time) and proves it computes;
 * the failure in words, or null. The engine trial switches between candidates with it; tensors
 * stay on the backend that made them, so switch only between runs' models, never under one.
 */
export async function switchBackend(name: BackendName): Promise<string | null> {
  try {
    if (tf.findBackendFactory(name) === null) return 'not available in this build';
    const ok = await tf.setBackend(name);
    if (!ok) return 'failed to initialise';
    await tf.ready();
    await proveBackend();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export async function selectBackend(
  choice: BackendChoice,
  options: SelectOptions = {},
): Promise<BackendSelection> {
  const notes: string[] = [];
  if (choice !== 'auto') {
    const failure = await switchBackend(choice);
    if (failure !== null) throw new Error(`The ${choice} backend is not usable here: ${failure}`);
    return { name: choice, notes };
  }
  const deferred: BackendName[] = [];
  for (const name of AUTO_ORDER) {
    const defer = name === 'cpu' ? null : ((await options.deferReason?.(name)) ?? null);
    if (defer === null) continue;
    deferred.push(name);
    notes.push(`${name}: ${defer}`);
  }
  for (const name of [...AUTO_ORDER.filter((n) => !deferred.includes(n)), ...deferred]) {
    const failure = await switchBackend(name);
    if (failure === null) return { name, notes };
    notes.push(`${name}: ${failure}`);
  }
  throw new Error(`No TF.js backend works here (${notes.join('; ')})`);
}
