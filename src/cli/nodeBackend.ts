import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { selectBackend } from '../ml/backend.ts';
import type { CliBackend } from './args.ts';

/**
 * Backend for the CLI, brought up by the worker's `selectBackend` (a backend counts only once it
 * computes a small matMul correctly). In Node the WASM backend's Emscripten loader reads its
 * `.wasm` with `fs.readFileSync(prefix + fileName)`, so `setWasmPaths` gets the package's `dist/`
 * directory as a file path (with a trailing separator). Node has no cross-origin isolation, so
 * TF.js picks the single-threaded SIMD build; the thread count is reported, not assumed.
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

/** Brings up `choice`; a failing wasm falls back to cpu (reported in `fallbackReason`). */
export async function setUpBackend(choice: CliBackend): Promise<NodeBackend> {
  // Silences TF.js's console banner recommending tfjs-node (printed on the cpu backend's first use).
  tf.env().set('PROD', true);
  let fallbackReason: string | null = null;
  if (choice === 'wasm') {
    try {
      setWasmPaths(wasmDir());
      await selectBackend('wasm');
      return { name: 'wasm', threads: getThreadsCount(), fallbackReason: null };
    } catch (error) {
      fallbackReason = error instanceof Error ? error.message : String(error);
    }
  }
  await selectBackend('cpu');
  return { name: 'cpu', threads: 1, fallbackReason };
}
