import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EpochAnalysis } from '../core/analysisTypes.ts';
import type { TrainingConfig } from '../core/config.ts';
import { SeededRandom } from '../core/random.ts';
import { referenceAnalyses } from '../ml/analysisFixtures.ts';
import { takeSnapshot, type AnalysisSink } from '../ml/epochAnalyser.ts';
import { createMlp, disposeMlp } from '../ml/mlp.ts';
import { bandMnist, hiddenLayer, syntheticImages, tinyConfig } from '../ml/testData.ts';
import { expectSameViews } from '../testing/analysisViews.ts';
import { WorkerAnalysisHost, type AnalysisPort } from './analysisHost.ts';
import type { AnalysisCommand, AnalysisReply } from './analysisProtocol.ts';
import { AnalysisService } from './analysisService.ts';
import type { WorkerCommand, WorkerEvent } from './protocol.ts';
import { WorkerSession } from './WorkerSession.ts';

/**
 * The analysis worker without a worker: the host talks to an {@link AnalysisService} through a
 * stand-in port that answers on a later macrotask, as `postMessage` does, on the cpu backend.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !condition(); i++) await tick();
  if (!condition()) throw new Error('timed out waiting');
}

class ServicePort implements AnalysisPort {
  onmessage: ((event: MessageEvent<AnalysisReply>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  terminated = false;
  readonly received: AnalysisCommand['type'][] = [];
  readonly service = new AnalysisService({
    post: (reply) =>
      setTimeout(() => {
        if (!this.terminated) this.onmessage?.({ data: reply } as MessageEvent<AnalysisReply>);
      }, 0),
    bringUpBackend: async () => 'cpu',
    now: () => performance.now(),
  });

  postMessage(command: AnalysisCommand): void {
    if (this.terminated) throw new Error('posted to a terminated worker');
    this.received.push(command.type);
    this.service.receive(command);
  }

  terminate(): void {
    this.terminated = true;
  }

  /** An uncaught error in the worker, as the `error` event reports it. */
  crash(message: string): void {
    this.onerror?.({ message, preventDefault: () => {} } as ErrorEvent);
  }
}

function ports() {
  const made: ServicePort[] = [];
  const host = new WorkerAnalysisHost(() => {
    const port = new ServicePort();
    made.push(port);
    return port;
  });
  return { host, made };
}

function recordingSink() {
  const delivered: EpochAnalysis[] = [];
  const failed: string[] = [];
  const sink: AnalysisSink = {
    deliver: (analysis) => delivered.push(analysis),
    fail: (epoch, message) => failed.push(`${epoch}: ${message}`),
  };
  return { sink, delivered, failed };
}

const images = syntheticImages(1200, 4);
const architecture: TrainingConfig['model'] = {
  hiddenLayers: [hiddenLayer(12, { activation: 'gelu' }), hiddenLayer(6, { batchNorm: true })],
  inputDropout: 0,
  init: 'he',
};
const NORMALIZATION = { mean: 0.12, std: 0.31 };

describe('WorkerAnalysisHost', () => {
  it("computes today's views for the same weights in the analysis worker", async () => {
    const models = [1, 2].map((seed) => createMlp(architecture, new SeededRandom(seed)));
    const want = await referenceAnalyses(images, NORMALIZATION, models);

    const { host, made } = ports();
    const { sink, delivered, failed } = recordingSink();
    const analyser = host.forRun({ runId: 'r', model: architecture }, images, sink);
    for (const [i, model] of models.entries()) {
      analyser.analyse(await takeSnapshot(model, i + 1, NORMALIZATION));
      await until(() => delivered.length === i + 1);
    }
    await analyser.finish();
    expect(failed).toEqual([]);
    delivered.forEach((analysis, i) => expectSameViews(analysis, want[i]));
    expect(delivered[0]?.worker).toEqual({ backend: 'cpu', startupMs: expect.any(Number) });
    expect(made[0]?.received).toEqual(['test-images', 'analyse', 'analyse', 'end-run']);
    host.dispose();
    expect(made[0]?.terminated).toBe(true);
    models.forEach(disposeMlp);
  });

  it('a crashed analysis worker fails the analysis in flight; the next one starts afresh', async () => {
    const { host, made } = ports();
    const model = createMlp(architecture, new SeededRandom(3));
    const { sink, delivered, failed } = recordingSink();
    const analyser = host.forRun({ runId: 'r', model: architecture }, images, sink);
    analyser.analyse(await takeSnapshot(model, 1, NORMALIZATION));
    made[0]?.crash('out of memory');
    await until(() => failed.length === 1);
    expect(failed).toEqual(['1: The analysis worker stopped: out of memory']);
    expect(made[0]?.terminated).toBe(true);
    analyser.analyse(await takeSnapshot(model, 2, NORMALIZATION));
    await until(() => delivered.length === 1);
    expect(delivered[0]?.epoch).toBe(2);
    expect(made).toHaveLength(2);
    expect(made[1]?.received.slice(0, 2)).toEqual(['test-images', 'analyse']);
    host.dispose();
    disposeMlp(model);
  });
});

describe('the training worker with its analysis worker', () => {
  const data = bandMnist(100);
  const config = tinyConfig({ training: { gradientDescent: 'miniBatch', batchSize: 32, epochs: 2 } });

  function session() {
    const events: WorkerEvent[] = [];
    const { host, made } = ports();
    const worker = new WorkerSession({
      post: (event) => events.push(event),
      loadMnist: async () => data,
      bringUpBackend: async () => ({ name: 'cpu', crossOriginIsolated: false, threads: 1, notes: [] }),
      yieldToEventLoop: tick,
      now: () => performance.now(),
      analysisHost: host,
    });
    const analysed = (runId: string) =>
      events.flatMap((e) => (e.type === 'analysis' && e.runId === runId ? [e.analysis.epoch] : []));
    return { worker, events, host, made, analysed };
  }

  const start = (runId: string): WorkerCommand => ({
    type: 'start',
    runId,
    backend: 'cpu',
    config,
    engine: 'fused',
  });

  it('20 runs: one analysis worker, the test images sent once, every run analysed, no tensors left', async () => {
    const { worker, events, host, made, analysed } = session();
    const after: number[] = [];
    for (let i = 0; i < 20; i++) {
      const runId = `run${i}`;
      await worker.receive(start(runId));
      // The newest epoch is always analysed, possibly after run-finished.
      await until(() => analysed(runId).includes(2));
      await made[0]?.service.idle();
      after.push(tf.memory().numTensors);
    }
    expect(made).toHaveLength(1);
    expect(made[0]?.terminated).toBe(false);
    const received = made[0]?.received ?? [];
    expect(received[0]).toBe('test-images');
    expect(received.filter((type) => type === 'test-images')).toHaveLength(1);
    expect(received.filter((type) => type === 'end-run')).toHaveLength(20);
    expect(events.filter((e) => e.type === 'analysis-failed')).toEqual([]);
    // Flat: the analysis keeps the resident test split (once per session), nothing per run.
    expect(after).toEqual(Array.from({ length: 20 }, () => after[0]));
    host.dispose();
    expect(made[0]?.terminated).toBe(true);
  });

  it('prepare starts the analysis worker with the test images, once', async () => {
    const { worker, made } = session();
    await worker.receive({ type: 'prepare', runId: 'p', backend: 'cpu' });
    expect(made.map((port) => port.received)).toEqual([['test-images']]);
    await worker.receive({ type: 'prepare', runId: 'q', backend: 'cpu' });
    await worker.receive(start('a'));
    expect(made).toHaveLength(1);
    expect(made[0]?.received.filter((type) => type === 'test-images')).toHaveLength(1);
  });

  it("Stop for a run already over (the page's Reset) cancels its last analysis", async () => {
    const { worker, made, analysed } = session();
    await worker.receive(start('a'));
    // run-finished is out; its last analysis may still be on its way.
    await worker.receive({ type: 'stop', runId: 'a' });
    await made[0]?.service.idle();
    await until(() => made[0]?.received.includes('end-run') ?? false);
    for (let i = 0; i < 5; i++) await tick();
    expect(analysed('a').includes(2)).toBe(false);
  });
});
