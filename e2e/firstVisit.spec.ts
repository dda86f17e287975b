import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_CONFIG, type TrainingConfig } from '../src/core/config.ts';
import { encodeConfigToSearch } from '../src/core/urlCodec.ts';
import { Playground } from './playground.ts';

/**
 * A first visit on a classroom network (issue 17): the browser's own throttling at 10 Mbit/s with
 * 40 ms latency (it applies to the worker's requests too), a fresh context, so nothing is cached.
 * The page is ready to train once the labels, the test set and the first training shard are in
 * (≈ 2.9 MB with the app); the other shards stream in after it.
 */

const TEN_MBIT_PER_S = {
  offline: false,
  latency: 40,
  downloadThroughput: 10e6 / 8,
  uploadThroughput: 10e6 / 8,
};
/** The goal. Measured 2.8–2.9 s on the shared 2-core machine, so about 1.1 s to spare. */
const READY_WITHIN_MS = 4_000;

const oneEpoch: TrainingConfig = {
  ...DEFAULT_CONFIG,
  seed: 17,
  training: { ...DEFAULT_CONFIG.training, epochs: 1 },
};

async function throttle(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', TEN_MBIT_PER_S);
}

/** Ms from navigation start until Train is enabled and the status says ready (read in the page). */
async function readyToTrainMs(page: Page): Promise<number> {
  const ready = await page.waitForFunction(
    () => {
      const status = document.querySelector('[data-testid="status"]')?.textContent ?? '';
      const train = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Train');
      return status.startsWith('Ready — press Train') && train !== undefined && !train.disabled
        ? performance.now()
        : null;
    },
    null,
    { polling: 20, timeout: 30_000 },
  );
  return Number(await ready.jsonValue());
}

test('at 10 Mbit/s the page is ready to train within 4 s, on the first shard; the rest streams in', async ({
  page,
}) => {
  const app = new Playground(page);
  await throttle(page);
  await page.goto(`/${encodeConfigToSearch(oneEpoch)}`);
  const readyMs = await readyToTrainMs(page);
  test.info().annotations.push({ type: 'ready to train (ms, 10 Mbit/s)', description: readyMs.toFixed(0) });
  expect(readyMs).toBeLessThanOrEqual(READY_WITHIN_MS);
  await expect(app.status).toHaveText(
    /^Ready — press Train \([\d,]+ of 60,000 training images in so far; the rest are loading\)$/,
  );

  // Trained now, on part of the data: the status says so plainly.
  await app.button('Train').click();
  await expect(app.status).toHaveText(
    /^Finished — Epoch 1 \/ 1 \(on the [\d,]+ training examples received so far, of [\d,]+ images in\)$/,
    { timeout: 60_000 },
  );

  // The rest arrives; after Reset the page is ready on all 60,000 and says nothing more.
  await app.button('Reset').click();
  await expect(app.status).toHaveText('Ready — press Train', { timeout: 60_000 });
  expect(app.consoleErrors).toEqual([]);
});

test('a reload reads MNIST from Cache Storage: no data crosses the network again', async ({ page }) => {
  const app = new Playground(page);
  await app.open();
  const dataRequests: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/mnist/')) dataRequests.push(request.url());
  });
  await page.reload();
  await expect(app.status).toHaveText('Ready — press Train');
  expect(dataRequests).toEqual([]);
  expect(app.consoleErrors).toEqual([]);
});
