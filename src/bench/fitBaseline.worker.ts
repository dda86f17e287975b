/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { MNIST_CLASSES, MNIST_PIXELS } from '../core/idx.ts';
import { normalizationTable, pixelStats } from '../core/normalization.ts';
import { bringUpBackend } from '../worker/backends.ts';
import { fetchMnist } from '../worker/mnistFetch.ts';
import type { FitRequest, FitResult } from './benchApi.ts';
import { WORKLOADS } from './workloads.ts';

/**
 * The stock TF.js path as a second baseline for `npm run bench`: a Layers `tf.sequential` of dense
 * ReLU layers with a softmax head, `adam(1e-3)`, categorical cross-entropy and `model.fit` — what
 * the tfjs-examples MNIST demos do — on the WASM backend, the same MNIST bytes and the same
 * standardisation as the app. One request in, one {@link FitResult} out.
 */

declare const self: DedicatedWorkerGlobalScope;

type MnistData = Awaited<ReturnType<typeof fetchMnist>>;

let ready: Promise<{ data: MnistData; backend: string; threads: number }> | null = null;

async function setUp(): Promise<{ data: MnistData; backend: string; threads: number }> {
  const info = await bringUpBackend('wasm');
  const data = await fetchMnist(() => {});
  return { data, backend: info.name, threads: info.threads };
}

/** xs: [n, 784] standardised with the training images' statistics; ys: [n, 10] one-hot. */
function trainingTensors(data: MnistData, n: number): { xs: tf.Tensor2D; ys: tf.Tensor2D } {
  const all = Uint32Array.from({ length: data.train.count }, (_, i) => i);
  const table = normalizationTable(pixelStats(data.train.pixels, all));
  const pixels = new Float32Array(n * MNIST_PIXELS);
  for (let p = 0; p < pixels.length; p++) pixels[p] = table[data.train.pixels[p] ?? 0] ?? 0;
  const xs = tf.tensor2d(pixels, [n, MNIST_PIXELS]);
  const ys = tf.tidy(() =>
    tf.oneHot(tf.tensor1d(data.train.labels.subarray(0, n), 'int32'), MNIST_CLASSES).toFloat(),
  ) as tf.Tensor2D;
  return { xs, ys };
}

async function fit(request: FitRequest): Promise<FitResult> {
  ready ??= setUp();
  const { data, backend, threads } = await ready;
  const workload = WORKLOADS[request.workload];
  const n = Math.min(request.examples ?? workload.examples, data.train.count);
  const tensorsBefore = tf.memory().numTensors;
  const { xs, ys } = trainingTensors(data, n);
  const model = tf.sequential();
  workload.hidden.forEach((units, i) =>
    model.add(
      tf.layers.dense({ units, activation: 'relu', ...(i === 0 ? { inputShape: [MNIST_PIXELS] } : {}) }),
    ),
  );
  model.add(tf.layers.dense({ units: MNIST_CLASSES, activation: 'softmax' }));
  const optimizer = tf.train.adam(1e-3);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const started = performance.now();
  // One epoch over the first n examples (W3: n = 2,000 at batch 1 is 2,000 steps). `yieldEvery:
  // 'never'` keeps fit from waiting on frames between batches, which only a page needs.
  await model.fit(xs, ys, {
    batchSize: workload.batchSize,
    epochs: 1,
    shuffle: true,
    verbose: 0,
    yieldEvery: 'never',
  });
  const trainMs = performance.now() - started;
  model.dispose();
  optimizer.dispose();
  xs.dispose();
  ys.dispose();
  return {
    ok: true,
    backend,
    threads,
    examples: n,
    trainMs,
    examplesPerSecond: n / (trainMs / 1000),
    tensorsAlive: tf.memory().numTensors,
    tensorsBefore,
  };
}

self.addEventListener('message', (event: MessageEvent<FitRequest>) => {
  fit(event.data)
    .catch((error: unknown): FitResult => ({
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    }))
    .then((result) => self.postMessage(result));
});
