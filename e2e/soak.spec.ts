import { expect, test } from '@playwright/test';
import { DEFAULT_CONFIG, type TrainingConfig } from '../src/core/config.ts';
import { encodeConfigToSearch } from '../src/core/urlCodec.ts';
import { megabytes, sampleMemory, workerTotal, type MemorySample } from './memoryProbe.ts';
import { Playground } from './playground.ts';

/**
 * Soak: a batch-1 run of 20,000 steps (one chart point and one report slot per example) keeps
 * memory flat and the page responsive. While it trains, the page is sampled about four times a
 * second: the main thread's JS heap, the worker's JS heap and buffers, the worker's tensor count
 * (sent with each batch report) and how long a frame takes. Flat means: heaps at the end within
 * 20 MB of where they were after the first 1,000 steps, the tensor count bounded while training
 * (it moves only by the divergence checkpoint's one spare copy of the weights) and 0 after.
 */

const config: TrainingConfig = {
  ...DEFAULT_CONFIG,
  seed: 7,
  training: { gradientDescent: 'miniBatch', batchSize: 1, epochs: 1 },
  data: { ...DEFAULT_CONFIG.data, trainingExamples: 20_000 },
};

const MB = 1e6;

test('a batch-1 run of 20,000 steps keeps heap and tensors flat and the page responsive', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const app = new Playground(page);
  await app.open(encodeConfigToSearch(config));
  const origin = await page.evaluate(() => performance.now());
  await app.button('Train').click();

  const samples: MemorySample[] = [];
  const result = page.getByTestId('test-accuracy');
  while (!(await result.isVisible())) {
    samples.push(await sampleMemory(page, origin));
    // Sampling cadence, not a wait for state: the loop ends on the visible result.
    await page.waitForTimeout(250);
  }
  await expect(app.status).toHaveText('Finished — Epoch 1 / 1');
  const end = await sampleMemory(page, origin);

  const training = samples.filter((s) => s.phase === 'training' && s.step !== null);
  const base = training.find((s) => (s.step ?? 0) >= 1000);
  expect(base, 'a sample after the first 1,000 steps').toBeDefined();
  if (base === undefined) return;
  const tensors = training.flatMap((s) => (s.tensors === null ? [] : [s.tensors]));
  const frames = samples.map((s) => s.frameMs);
  const pageGrowth = (end.pageHeap ?? 0) - (base.pageHeap ?? 0);
  const workerGrowth = (workerTotal(end) ?? 0) - (workerTotal(base) ?? 0);
  const series = training
    .map((s) => `${s.step}:${megabytes(s.pageHeap)}/${megabytes(workerTotal(s))}/${s.tensors ?? '–'}`)
    .join(' ');
  test.info().annotations.push(
    { type: 'samples while training (step: page heap / worker JS / tensors)', description: series },
    {
      type: 'page JS heap',
      description: `${megabytes(base.pageHeap)} after step ${base.step} → ${megabytes(end.pageHeap)} after the run (${pageGrowth >= 0 ? '+' : ''}${megabytes(pageGrowth)})`,
    },
    {
      type: 'worker JS heap and buffers (not WebAssembly memory)',
      description: `${megabytes(workerTotal(base))} after step ${base.step} → ${megabytes(workerTotal(end))} after the run (${workerGrowth >= 0 ? '+' : ''}${megabytes(workerGrowth)})`,
    },
    {
      type: 'tensors in the worker',
      description: `${Math.min(...tensors)}–${Math.max(...tensors)} while training (${tensors.length} samples), ${end.tensors} after the run`,
    },
    {
      type: 'frame delay while sampling',
      description: `median ${Math.round(frames.sort((a, b) => a - b)[Math.floor(frames.length / 2)] ?? 0)} ms, max ${Math.round(Math.max(...frames))} ms`,
    },
  );

  expect(training.length, 'samples while training').toBeGreaterThanOrEqual(4);
  expect(end.pageHeap, 'performance.memory is available').not.toBeNull();
  expect(pageGrowth, 'page heap growth after the first 1,000 steps').toBeLessThan(20 * MB);
  if (end.workers !== null) {
    expect(end.workers, 'one worker').toHaveLength(1);
    expect(workerGrowth, 'worker heap growth after the first 1,000 steps').toBeLessThan(20 * MB);
  }
  // Model (6 variables) + Adam's moments and step counters + data splits + at most one spare
  // checkpoint (6): bounded, never climbing with the steps.
  expect(tensors.length).toBeGreaterThanOrEqual(4);
  expect(
    Math.max(...tensors) - Math.min(...tensors),
    'tensor count range while training',
  ).toBeLessThanOrEqual(6);
  expect(end.tensors, 'tensors after the run').toBe(0);
  expect(Math.max(...frames), 'a frame while training').toBeLessThan(500);
  expect(app.consoleErrors).toEqual([]);
});
