/// <reference lib="webworker" />
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../ml/backend.ts';
import type { AnalysisCommand } from './analysisProtocol.ts';
import { AnalysisService } from './analysisService.ts';
import { locateBundledWasm } from './wasmBinaries.ts';

/**
 * The analysis worker's entry, started by the training worker (`analysisHost.ts`): it computes
 * each epoch's error analysis from a transferred weight snapshot while the next epoch trains.
 * Its own TF.js on the single-threaded WASM SIMD build (XNNPACK): the forward pass over the
 * 10,000 test images is ~1 GFLOP for 784-128-64-10, which WASM does several times faster than
 * plain JavaScript; one thread, so it never takes more than one core from training and starts
 * no thread pool. Falls back to the cpu backend where WASM cannot start.
 */

declare const self: DedicatedWorkerGlobalScope;

locateBundledWasm();
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

async function bringUpBackend(): Promise<string> {
  try {
    await selectBackend('wasm');
    return 'wasm';
  } catch {
    await selectBackend('cpu');
    return 'cpu';
  }
}

const service = new AnalysisService({
  post: (reply, transfer) => self.postMessage(reply, transfer),
  bringUpBackend,
  now: () => performance.now(),
});

self.addEventListener('message', (event: MessageEvent<AnalysisCommand>) => service.receive(event.data));
