import * as tf from '@tensorflow/tfjs-core';
import { allIndices } from '../ml/dataset.ts';
import { createStepEngine } from '../ml/engine.ts';
import { GpuEngine } from '../ml/gpu/gpuEngine.ts';
import { createMlp, disposeMlp } from '../ml/mlp.ts';
import { PendingPoints, type StepValue } from '../ml/pending.ts';
import { normalizationStats } from '../core/normalization.ts';
import { runStreams } from '../core/runStreams.ts';
import type { GpuAdapterName, GpuProbeResult, GpuProbeSpec } from '../bench/benchApi.ts';
import { BENCH_SEED, workloadConfig } from '../bench/workloads.ts';
import { bringUpBackend, describeDevice, softwareBackends } from './backends.ts';
import { fetchMnist } from './mnistFetch.ts';

/**
 * The GPU step probe of `npm run bench` (run by `src/bench/gpuProbe.worker.ts`): one engine on
 * one GPU backend, stepped on a workload's shape over real MNIST, counting what reaches the GPU per step — WebGPU compute dispatches
 * (`GPUComputePassEncoder.dispatchWorkgroups`) or WebGL draw calls (`drawArrays`/`drawElements`,
 * one per TF.js WebGL program) — and timing the steps, their losses read back at the end so queued
 * GPU work is waited for. The fused WebGPU engine is built directly, so its own
 * `dispatchesPerStep` can be checked against the count.
 */

/** Counts calls of some prototype methods while installed; `restore` puts the originals back. */
function countCalls(
  prototypes: readonly object[],
  names: readonly string[],
): { calls(): number; restore(): void } {
  let calls = 0;
  const restores: (() => void)[] = [];
  for (const prototype of prototypes) {
    const methods = prototype as Record<string, unknown>;
    for (const name of names) {
      const original = methods[name];
      if (typeof original !== 'function') continue;
      methods[name] = function (this: unknown, ...args: unknown[]) {
        calls += 1;
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      };
      restores.push(() => (methods[name] = original));
    }
  }
  return { calls: () => calls, restore: () => restores.forEach((restore) => restore()) };
}

/** What reaches the GPU per step on `backend`: compute dispatches, or WebGL draw calls. */
function gpuWorkCounter(backend: GpuProbeSpec['backend']) {
  if (backend === 'webgpu')
    return countCalls(
      [GPUComputePassEncoder.prototype],
      ['dispatchWorkgroups', 'dispatchWorkgroupsIndirect'],
    );
  const contexts = [globalThis.WebGL2RenderingContext, globalThis.WebGLRenderingContext];
  return countCalls(
    contexts.filter((c) => c !== undefined).map((c) => c.prototype),
    ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced'],
  );
}

async function adapterOf(backend: GpuProbeSpec['backend']): Promise<GpuAdapterName | null> {
  const [device, software] = await Promise.all([describeDevice(), softwareBackends()]);
  const text = backend === 'webgpu' ? device.gpuAdapter : device.webglRenderer;
  return text === 'none' ? null : { text, software: software.has(backend) };
}

/** The device of the active webgpu backend (the fused WebGPU engine shares TF.js's). */
function webgpuDevice(): GPUDevice {
  const device = (tf.backend() as unknown as { readonly device?: GPUDevice }).device;
  if (device === undefined) throw new Error('the webgpu backend has no device');
  return device;
}

/** Steps `spec.engine` on `spec.backend` (brought up here) and counts and times what reaches the GPU. */
export async function probeGpuSteps(spec: GpuProbeSpec): Promise<GpuProbeResult> {
  await bringUpBackend(spec.backend);
  const data = await fetchMnist(() => {});
  const config = workloadConfig(spec.workload);
  const batch = config.training.batchSize;
  const rows = Math.min(data.train.count, batch * (spec.warmupSteps + spec.steps));
  const indices = allIndices(rows);
  const streams = runStreams(BENCH_SEED);
  const model = createMlp(config.model, streams.init);
  const inputs = {
    config,
    model,
    images: data.train,
    trainIndices: indices,
    normalization: normalizationStats(config.data.normalization, data.train.pixels, indices),
    augmentRng: streams.augment,
    dropoutRng: streams.dropout,
    maxBatch: batch,
  };
  const gpuEngine = spec.engine === 'webgpu' ? new GpuEngine(webgpuDevice(), inputs) : null;
  const engine = gpuEngine ?? createStepEngine(inputs, 'tfjs');
  const learningRate = config.optimizer.learningRate;
  const pending = new PendingPoints();
  const positions = new Int32Array(batch);
  let next = 0;
  /** Queues `steps` steps; their losses stay pending (read by `pending.drain()`). */
  const queue = (steps: number) => {
    for (let step = 0; step < steps; step++) {
      for (let i = 0; i < batch; i++) positions[i] = (next + i) % rows;
      next = (next + batch) % rows;
      const values: { loss: StepValue; accuracy: StepValue } = engine.step(positions, learningRate);
      pending.push({ step, examples: 0, trainingMs: 0, size: batch, ...values });
    }
  };
  try {
    // As the training loop does: a buffer or pipeline that failed after construction says so here.
    await ('whenCreated' in engine ? engine.whenCreated() : engine.ready());
    queue(spec.warmupSteps);
    await pending.drain();
    // Only the steps' own dispatches are counted; reading the losses back (a stack and a copy
    // for TF.js) is timed but not counted.
    const counter = gpuWorkCounter(spec.backend);
    const started = performance.now();
    try {
      queue(spec.steps);
    } finally {
      counter.restore();
    }
    await pending.drain();
    return {
      ok: true,
      spec,
      adapter: await adapterOf(spec.backend),
      dispatchesPerStep: counter.calls() / spec.steps,
      engineDispatchesPerStep: gpuEngine?.dispatchesPerStep ?? null,
      msPerStep: (performance.now() - started) / spec.steps,
      batch,
    };
  } finally {
    pending.dispose();
    engine.dispose();
    disposeMlp(model);
  }
}
