import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import type { CliBackend } from './args.ts';

/**
 * Backend for the CLI. In Node the WASM backend's Emscripten loader reads its `.wasm` with
 * `fs.readFileSync(prefix + fileName)`, so `setWasmPaths` gets the package's `dist/` directory
 * as a file path (with a trailing separator). Node has no cross-origin isolation, so TF.js picks
 * the single-threaded SIMD build; the thread count is reported, not assumed.
 */

const require = createRequire(import.meta.url);

export interface NodeBackend {
  readonly name: CliBackend;
  readonly threads: number;
  /** Set when the requested backend failed and cpu was used instead. */
  readonly fallbackReason: string | null;
}

function wasmDir(): string {
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + sep;
}

async function tryWasm(): Promise<string | null> {
  try {
    setWasmPaths(wasmDir());
    if (!(await tf.setBackend('wasm'))) return 'failed to initialise';
    await tf.ready();
    const check = tf.tidy(() =>
      tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([1, 2, 3, 4], [2, 2])),
    );
    const values = Array.from(await check.data());
    check.dispose();
    return values.join(',') === '7,10,15,22' ? null : `computed [${values.join(', ')}]`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Brings up `choice`; a failing wasm falls back to cpu (reported in `fallbackReason`). */
export async function setUpBackend(choice: CliBackend): Promise<NodeBackend> {
  // Silences TF.js's console banner recommending tfjs-node (printed on the cpu backend's first use).
  tf.env().set('PROD', true);
  if (choice === 'wasm') {
    const failure = await tryWasm();
    if (failure === null) return { name: 'wasm', threads: getThreadsCount(), fallbackReason: null };
    await tf.setBackend('cpu');
    await tf.ready();
    return { name: 'cpu', threads: 1, fallbackReason: `wasm backend failed (${failure})` };
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { name: 'cpu', threads: 1, fallbackReason: null };
}
