import { expect, test, type Worker } from '@playwright/test';
import { DEFAULT_CONFIG, type TrainingConfig } from '../src/core/config.ts';
import { encodeConfigToSearch } from '../src/core/urlCodec.ts';
import { megabytes, sampleMemory, workerTotal } from './memoryProbe.ts';
import { Playground } from './playground.ts';

/**
 * Reliability: a diverging run stops with a message and keeps usable weights; a config too big
 * for memory is refused before Train (and by the worker); repeated runs in one worker leak no
 * tensors; and a finished comparison's workers give their memory back.
 */

const small = (changes: Partial<TrainingConfig> = {}): TrainingConfig => ({
  ...DEFAULT_CONFIG,
  seed: 7,
  ...changes,
  data: { ...DEFAULT_CONFIG.data, trainingExamples: 2000, ...changes.data },
});

/** SGD at learning rate 50 on the default 784-128-64-10: the loss is NaN within a few steps. */
const diverging = small({
  optimizer: { ...DEFAULT_CONFIG.optimizer, kind: 'sgd', learningRate: 50 },
  training: { ...DEFAULT_CONFIG.training, epochs: 3 },
});

/** A "0" for the drawing pad. */
const zero = Array.from({ length: 25 }, (_, i) => {
  const a = (2 * Math.PI * i) / 24;
  return [0.5 + 0.22 * Math.sin(a), 0.5 - 0.32 * Math.cos(a)] as const;
});

for (const engine of ['fused', 'tfjs'] as const) {
  test(`${engine} engine: SGD at learning rate 50 stops as the loss explodes, says why, and keeps usable weights`, async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.open(`${encodeConfigToSearch(diverging)}&engine=${engine}`);
    await app.button('Train').click();

    const alert = page.getByRole('alert').filter({ hasText: 'training diverged' });
    await expect(alert).toHaveText(
      /^The loss (became NaN|became Infinity|exploded to [\d.e+,]+) at step \d+ \(epoch 1\)(, from [\d.]+ at the start)?: training diverged\. The learning rate 50 is probably too high for SGD — try 0\.1, or Adam at 0\.001\. The run kept (its initial weights|the weights of step \d+ \(epoch 1\)).*the results below are theirs\.$/,
    );
    await expect(app.status).toHaveText(
      /^Stopped: training diverged \(loss (NaN|Infinity|[\d.e+,]+) at step \d+\) — Epoch 1 \/ 3$/,
    );
    const message = (await alert.textContent()) ?? '';
    const accuracy = await app.testAccuracy();
    test
      .info()
      .annotations.push(
        { type: 'message', description: message },
        { type: 'test accuracy', description: `${accuracy}%` },
      );
    await expect(page.getByTestId('details-engine')).toContainText(
      engine === 'fused' ? 'fused' : 'TF.js ops',
    );
    await expect(page.getByTestId('details-tensors')).toHaveAttribute('data-tensors', '0');

    // The kept weights answer drawings.
    await app.drawStroke(zero);
    await expect(page.getByTestId('prediction')).toHaveText(/^Prediction: \d \(\d+(\.\d)?%\)$/);
    expect(app.consoleErrors).toEqual([]);
  });
}

/** 8 hidden layers of 4,096 units trained on all 54,000 examples at once. */
const huge: TrainingConfig = {
  ...DEFAULT_CONFIG,
  model: {
    ...DEFAULT_CONFIG.model,
    hiddenLayers: Array.from({ length: 8 }, () => ({
      units: 4096,
      activation: 'relu',
      dropout: 0,
      batchNorm: false,
    })),
  },
  training: { ...DEFAULT_CONFIG.training, gradientDescent: 'fullBatch' },
};

test('784-4096×8 at full batch gets a message instead of a crash, before Train and from the worker', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.open(encodeConfigToSearch(huge));
  const alert = page.getByTestId('memory-alert');
  await expect(alert).toHaveText(
    /^Too big to train here: 784-4096×8-10 at full batch \(54,000 examples\) needs about [\d.]+ GB on the wasm backend with the fused kernel, [\d.]+ GB of it for activations; the budget there is 1\.5 GB\. Even one example at a time would need [\d.]+ GB: the 120,725,514 parameters are too many\. Use fewer or narrower layers\.$/,
  );
  await expect(alert).toHaveAttribute('role', 'alert');
  await expect(app.button('Train')).toBeDisabled();
  test.info().annotations.push({ type: 'message', description: (await alert.textContent()) ?? '' });

  // A comparison goes straight to workers: each refuses the run with the same message.
  await page.getByRole('tab', { name: 'Compare' }).click();
  await page.getByRole('button', { name: 'SGD vs Momentum vs Adam vs RMSprop' }).click();
  await page.getByRole('button', { name: 'Run comparison' }).click();
  const runs = page.getByTestId('comparison-run');
  await expect(runs).toHaveCount(4);
  await expect(page.locator('[data-testid="comparison-run"][data-status="error"]')).toHaveCount(4);
  await expect(runs.first()).toContainText('784-4096×8-10 at full batch (54,000 examples) needs about');

  // Back on Train, two layers of 256 fit: the message goes and Train is enabled.
  await page.getByRole('tab', { name: 'Train' }).click();
  for (let n = 8; n > 2; n--) await app.button(`Remove layer ${n}`).click();
  for (const n of [1, 2]) await app.layer(n).getByLabel('Units').fill('256');
  await expect(alert).toHaveCount(0);
  await expect(app.button('Train')).toBeEnabled();
  expect(app.consoleErrors).toEqual([]);
});

test('20 runs in one worker leave no tensors behind, and its memory stays put', async ({ page }) => {
  test.setTimeout(300_000);
  const app = new Playground(page);
  await app.open(
    encodeConfigToSearch(
      small({
        training: { ...DEFAULT_CONFIG.training, epochs: 1 },
        data: { ...DEFAULT_CONFIG.data, trainingExamples: 1000 },
      }),
    ),
  );
  const tensors: string[] = [];
  const samples = [];
  for (let run = 1; run <= 20; run++) {
    await app.button('Train').click();
    await expect(app.status).not.toHaveAttribute('data-phase', 'finished');
    await expect(app.status).toHaveAttribute('data-phase', 'finished');
    const alive = page.getByTestId('details-tensors');
    await expect(alive).toHaveAttribute('data-tensors', /^\d+$/);
    tensors.push((await alive.getAttribute('data-tensors')) ?? '?');
    if (run === 1 || run === 20) samples.push(await sampleMemory(page));
  }
  const [first, last] = samples;
  test.info().annotations.push(
    { type: 'tensorsAlive after each run', description: tensors.join(',') },
    {
      type: 'worker JS heap and buffers after run 1 → run 20',
      description: `${megabytes(first && workerTotal(first))} → ${megabytes(last && workerTotal(last))}`,
    },
    {
      type: 'page JS heap after run 1 → run 20',
      description: `${megabytes(first?.pageHeap)} → ${megabytes(last?.pageHeap)}`,
    },
  );
  expect(tensors).toEqual(Array.from({ length: 20 }, () => '0'));
  if (first?.workers && last?.workers) {
    expect(last.workers).toHaveLength(1);
    expect(
      (workerTotal(last) ?? 0) - (workerTotal(first) ?? 0),
      'worker memory growth over 19 runs',
    ).toBeLessThan(30e6);
  }
  expect(app.consoleErrors).toEqual([]);
});

test('a comparison’s workers are terminated when it ends (their memory is reported)', async ({ page }) => {
  await page.goto(
    `/${encodeConfigToSearch(small({ training: { ...DEFAULT_CONFIG.training, epochs: 3 }, data: { ...DEFAULT_CONFIG.data, trainingExamples: 6000 } }))}&view=compare`,
  );
  await expect(page.getByRole('heading', { name: 'Compare runs' })).toBeVisible();
  // The Train view's worker has loaded MNIST: that is the baseline.
  await expect(page.getByTestId('status')).toHaveAttribute('data-phase', 'ready');
  const before = await sampleMemory(page);
  test.skip(before.workers === null, 'performance.measureUserAgentSpecificMemory is not available here');

  await page.getByRole('button', { name: 'SGD vs Momentum vs Adam vs RMSprop' }).click();
  await page.getByRole('button', { name: 'Remove variant 4' }).click();
  await page.getByRole('button', { name: 'Remove variant 3' }).click();
  await page.getByRole('button', { name: 'Run comparison' }).click();
  // Sampled once a race worker has loaded its own copy of MNIST (as the Train view's has).
  let during = before;
  await expect
    .poll(async () => {
      during = await sampleMemory(page);
      return (during.workers ?? []).filter((bytes) => bytes > 50e6).length;
    })
    .toBeGreaterThan(1);
  await expect(page.locator('[data-testid="comparison-run"][data-status="finished"]')).toHaveCount(2);
  // Termination is what the page controls, so that is asserted: Playwright reports each worker
  // it sees closing. The browser's memory measurement drops a terminated worker only after its
  // own garbage collection (seconds to over a minute here), so the figures are reported, not
  // asserted.
  // Playwright can keep listing a worker whose target is gone after earlier tests in the same
  // browser, so each listed worker is asked to answer: a terminated one cannot.
  const answers = (w: Worker) =>
    Promise.race([
      w.evaluate(() => true).catch(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000)),
    ]);
  const liveTrainers = async () => {
    const listed = page.workers().filter((w) => w.url().includes('trainer'));
    return (await Promise.all(listed.map(answers))).filter(Boolean).length;
  };
  await expect.poll(liveTrainers, { timeout: 30_000 }).toBe(1);
  const after = await sampleMemory(page);
  const describe = (s: typeof before) =>
    `${s.workers?.length} training worker(s) [${(s.workers ?? []).map((b) => megabytes(b)).join(', ')}]; all dedicated workers (with TF.js WASM threads) ${megabytes(s.allWorkers)}`;
  test
    .info()
    .annotations.push(
      { type: 'before the race', description: describe(before) },
      { type: 'during', description: describe(during) },
      { type: 'after (as measured so far)', description: describe(after) },
    );
  expect(before.workers, 'the Train view’s worker only').toHaveLength(1);
  expect(during.workers?.length, 'the race ran in workers of its own').toBeGreaterThan(1);
  expect(during.allWorkers ?? 0).toBeGreaterThan((before.allWorkers ?? 0) + 20e6);
});
