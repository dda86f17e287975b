import { expect, test, type Page, type Worker } from '@playwright/test';
import { DEFAULT_CONFIG, type TrainingConfig } from '../src/core/config.ts';
import { encodeConfigToSearch } from '../src/core/urlCodec.ts';
import type { GpuFault } from '../src/worker/protocol.ts';
import { Playground } from './playground.ts';

/**
 * Faults injected from outside the app (network, worker, storage, reload) and what the user sees.
 * Brief, seeded runs: 2,000 training examples, one epoch, so each takes a second or two.
 */
const brief: TrainingConfig = {
  ...DEFAULT_CONFIG,
  seed: 5,
  training: { ...DEFAULT_CONFIG.training, epochs: 1 },
  data: { ...DEFAULT_CONFIG.data, trainingExamples: 2000 },
};
/** Long enough to be interrupted mid-run. */
const long: TrainingConfig = { ...brief, training: { ...brief.training, epochs: 50 } };

const models = (page: Page) => page.getByRole('region', { name: 'Models' });
const savedModel = (page: Page, name: string) =>
  models(page).locator(`[data-testid="saved-model"][data-name="${name}"]`);

async function trainBriefly(app: Playground): Promise<void> {
  await app.button('Train').click();
  await expect(app.status).toHaveText('Finished — Epoch 1 / 1');
}

async function saveModel(page: Page, name: string): Promise<void> {
  await models(page).getByLabel('Model name').fill(name);
  await models(page).getByRole('button', { name: 'Save model' }).click();
}

test('MNIST that cannot be downloaded, or is corrupted, says so and offers a Retry that works', async ({
  page,
}) => {
  const app = new Playground(page);
  await page.route('**/mnist/**', (route) => route.abort());
  await page.goto(`/${encodeConfigToSearch(brief)}`);
  await expect(app.status).toContainText('Error: MNIST could not be loaded: Could not download MNIST file');
  const retry = app.button('Retry');
  await expect(retry).toBeVisible();

  // One file served as garbage: the message names it.
  await page.unroute('**/mnist/**');
  await page.route('**/mnist/t10k-labels-idx1-ubyte.gz', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/octet-stream',
      body: Buffer.from('not an idx file'),
    }),
  );
  await retry.click();
  await expect(app.status).toContainText('Error: MNIST could not be loaded: t10k-labels-idx1-ubyte');

  // Back to normal: Retry loads it and a run works.
  await page.unroute('**/mnist/t10k-labels-idx1-ubyte.gz');
  await app.button('Retry').click();
  await expect(app.status).toHaveText('Ready — press Train');
  await expect(app.button('Retry')).toHaveCount(0);
  await trainBriefly(app);
});

test('a worker that crashes mid-run is reported, and Train starts a fresh one', async ({ page }) => {
  const app = new Playground(page);
  await app.open(encodeConfigToSearch(long));
  await app.button('Train').click();
  await expect(app.status).toContainText('Training — Epoch');
  await trainerWorker(page).evaluate(() => {
    setTimeout(() => {
      throw new Error('injected crash');
    });
  });
  await expect(app.status).toHaveText(
    'Error: The training worker crashed: Uncaught Error: injected crash. Press Train to start again.',
  );
  // The form still works; Train starts a fresh worker that loads MNIST again and finishes.
  await app.configure({ Epochs: '1' });
  await trainBriefly(app);
});

/** The training worker (the page's, not the analysis or kernel-thread workers it nests). */
function trainerWorker(page: Page): Worker {
  const trainer = page.workers().find((w) => w.url().includes('trainer'));
  expect(trainer, 'the training worker is listed').toBeDefined();
  return trainer as Worker;
}

/**
 * Opens the long run with `query` appended, starts it and, mid-run, has the training worker's own
 * fault aid (`simulate-fault`) cause `fault`, as a GPU reset would; returns that worker.
 */
async function gpuFaultMidRun(app: Playground, query: string, fault: GpuFault): Promise<Worker> {
  await app.open(`${encodeConfigToSearch(long)}${query}`);
  await app.button('Train').click();
  await expect(app.status).toContainText('Training — Epoch');
  const trainer = trainerWorker(app.page);
  await trainer.evaluate(
    (kind) =>
      self.dispatchEvent(
        new MessageEvent('message', { data: { type: 'simulate-fault', runId: 'test', fault: kind } }),
      ),
    fault,
  );
  return trainer;
}

test('a lost WebGL context mid-run stops the run and says so; Train starts again on a fresh backend', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const app = new Playground(page);
  // WEBGL_lose_context drops the context.
  await gpuFaultMidRun(app, '&backend=webgl', 'webgl-context-loss');
  await expect(app.status).toContainText("Error: The GPU's WebGL context was lost during training");
  await expect(app.status).toContainText('Press Train to start again on a fresh backend, or pick WASM.');
  await app.configure({ Epochs: '1' });
  await trainBriefly(app);
  await expect(page.getByTestId('backend-in-use')).toContainText('webgl');
});

for (const [engine, name] of [
  ['tfjs', 'TF.js ops'],
  ['webgpu', 'the fused WebGPU engine'],
] as const) {
  test(`a lost WebGPU device mid-run (${name}) stops the run and says so; Train trains again on a fresh device`, async ({
    page,
  }) => {
    test.setTimeout(240_000);
    const app = new Playground(page);
    // The webgpu backend (SwiftShader here: correctness, not speed); the fault destroys its GPUDevice.
    const trainer = await gpuFaultMidRun(app, `&backend=webgpu&engine=${engine}`, 'webgpu-device-loss');
    await expect(app.status).toContainText("Error: The GPU's WebGPU device was lost during training");
    await expect(app.status).toContainText('Press Train to start again on a fresh device, or pick WASM.');
    // The page stays usable: the form edits, and the same worker brings webgpu up on a new device.
    await app.configure({ Epochs: '1' });
    await trainBriefly(app);
    await expect(page.getByTestId('backend-in-use')).toContainText('webgpu');
    expect(page.workers().filter((w) => w.url().includes('trainer'))).toEqual([trainer]);
  });
}

test('a full disk when saving a model says so, and keeps the models saved before', async ({ page }) => {
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
      const full = (window as unknown as { fullDisk?: boolean }).fullDisk === true;
      if (full && this.transaction.db.name === 'mlp-playground-models') {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return put.apply(this, args);
    };
  });
  const app = new Playground(page);
  await app.open(encodeConfigToSearch(brief));
  await trainBriefly(app);
  await saveModel(page, 'kept');
  await expect(page.getByTestId('models-status')).toContainText('Saved kept.');

  await page.evaluate(() => ((window as unknown as { fullDisk?: boolean }).fullDisk = true));
  await saveModel(page, 'refused');
  await expect(models(page).getByRole('alert')).toContainText("Your browser's storage is full");
  await expect(savedModel(page, 'kept')).toBeVisible();

  await page.reload();
  await expect(app.status).toHaveText('Ready — press Train');
  await expect(savedModel(page, 'kept')).toBeVisible();
  await expect(savedModel(page, 'refused')).toHaveCount(0);
});

test('a reload mid-run keeps the run history and the saved models', async ({ page }) => {
  const app = new Playground(page);
  await app.open(encodeConfigToSearch(brief));
  await trainBriefly(app);
  await saveModel(page, 'before reload');
  await expect(page.getByTestId('models-status')).toContainText('Saved before reload.');

  await app.configure({ Epochs: '50' });
  await app.button('Train').click();
  await expect(app.status).toContainText('Training — Epoch');
  await page.reload();
  await expect(app.status).toHaveText('Ready — press Train');
  await expect(savedModel(page, 'before reload')).toBeVisible();
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(page.getByRole('heading', { name: 'Run history' })).toBeVisible();
  await expect(page.getByTestId('history-row')).toHaveCount(1);
});
