import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { SERVED_DIR } from '../playwright.config.ts';
import { DEFAULT_CONFIG, type TrainingConfig } from '../src/core/config.ts';
import { encodeConfigToSearch } from '../src/core/urlCodec.ts';
import { Playground } from './playground.ts';
import { watch } from './requestAudit.ts';

/**
 * Offline and installable: after one visit the service worker (vite-plugin-pwa / Workbox, see
 * vite.config.ts) has the app and the worker has MNIST in Cache Storage, so the page opens and
 * trains with the network off — still cross-origin isolated (the fused kernel on several threads)
 * and within its Content-Security-Policy, talking only to its own origin.
 */
test.use({ serviceWorkers: 'allow' });

const brief: TrainingConfig = {
  ...DEFAULT_CONFIG,
  seed: 5,
  training: { ...DEFAULT_CONFIG.training, epochs: 1 },
  data: { ...DEFAULT_CONFIG.data, trainingExamples: 3000 },
};
// WASM: the fused kernel, whose threads need cross-origin isolation.
const QUERY = `${encodeConfigToSearch(brief)}&backend=wasm`;

/** Waits until the service worker controls the page (it registers once MNIST is in). */
async function controlledByServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');
}

test('after one visit it opens and trains offline, cross-origin isolated and within its policy', async ({
  context,
  page,
  baseURL,
}) => {
  const app = new Playground(page);
  const watching = await watch(context, page);
  await app.open(QUERY);
  await controlledByServiceWorker(page);

  await context.setOffline(true);
  await page.reload();
  await expect(app.status).toHaveText('Ready — press Train');
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('backend-in-use')).toHaveText('Using wasm');
  await app.button('Train').click();
  await expect(app.status).toHaveText('Finished — Epoch 1 / 1', { timeout: 90_000 });
  // 3,000 examples for one epoch: far from the full run, well above chance (10%).
  expect(await app.testAccuracy()).toBeGreaterThan(80);
  await expect(page.getByTestId('details-kernel-threads')).not.toContainText('not cross-origin isolated');

  const origin = new URL(baseURL ?? page.url()).origin;
  expect(watching.foreign(origin)).toEqual([]);
  expect(watching.reports()).toEqual([]);
  expect(await watching.violations()).toEqual([]);
  expect(app.consoleErrors).toEqual([]);
});

test('a new deployment is announced with Update, which waits while a run is active', async ({ page }) => {
  const app = new Playground(page);
  await app.open(QUERY);
  await controlledByServiceWorker(page);
  const registration = () =>
    page.evaluate(async () => {
      const found = await navigator.serviceWorker.getRegistration();
      return { active: found?.active?.state ?? null, waiting: found?.waiting?.state ?? null };
    });

  // A run, paused: still active, so a reload now would end it.
  await app.configure({ Epochs: '20' });
  await app.button('Train').click();
  await app.button('Pause').click();
  await expect(app.status).toContainText('Paused');

  // A new deployment: the server has a service worker script that differs by a comment (until
  // the test ends: putting the old one back would be one more deployment).
  const script = join(SERVED_DIR, 'sw.js');
  const deployed = await readFile(script, 'utf8');
  await writeFile(script, `${deployed}\n// the next deployment\n`);
  try {
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    const prompt = page.getByText('A new version of the playground is ready.');
    await expect(prompt).toBeVisible();
    const update = app.button('Update');
    await expect(update).toBeDisabled();
    await expect(page.getByText('Available when the run ends: updating reloads the page.')).toBeVisible();
    expect(await registration()).toEqual({ active: 'activated', waiting: 'installed' });

    // The run ends: Update reloads the page under the new version.
    await app.button('Stop').click();
    await expect(app.status).toContainText('Stopped');
    await expect(update).toBeEnabled();
    const reloaded = page.waitForEvent('framenavigated');
    await update.click();
    await reloaded;
    await expect(app.status).toHaveText('Ready — press Train');
    await expect(prompt).toHaveCount(0);
    expect(await registration()).toEqual({ active: 'activated', waiting: null });
    expect(app.consoleErrors).toEqual([]);
  } finally {
    await writeFile(script, deployed);
  }
});
