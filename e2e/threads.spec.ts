import { expect, test } from '@playwright/test';
import { Playground } from './playground.ts';

/**
 * The fused kernel on every core: the thread count is measured at the start of a run (or forced
 * with `?threads=`), shown in Details with the rates it measured, and never changes the result:
 * the same seed trains to the same test accuracy and loss on 1 and 2 threads. A page that is not
 * cross-origin isolated trains on one thread and says why.
 */

async function train(app: Playground, examples: string): Promise<string> {
  await app.configure({
    'Training examples': examples,
    'Batch size': '32',
    Epochs: '1',
    'Validation %': '1',
  });
  await app.button('Train').click();
  await expect(app.status).toHaveText('Finished — Epoch 1 / 1', { timeout: 90_000 });
  await app.page.getByText('Details').click();
  return (await app.page.getByTestId('test-accuracy').textContent()) ?? '';
}

test('measures 1 and 2 threads, shows the rates, and keeps the faster', async ({ page }) => {
  const app = new Playground(page);
  await app.open('?backend=wasm');
  // Enough steps for both rounds of trial blocks (each ≥ 15 ms) at batch 32.
  await train(app, '12000');
  await expect(page.getByTestId('details-kernel-threads')).toHaveText(
    /^[12] — (measured fastest|only one thread measured) \(1: [\d,]+ ex\/s · 2: [\d,]+ ex\/s\)$/,
  );
  expect(await app.testAccuracy()).toBeGreaterThan(75);
  expect(app.consoleErrors).toEqual([]);
});

test('forced thread counts train to the very same result', async ({ page }) => {
  const results: string[] = [];
  for (const threads of [1, 2]) {
    const app = new Playground(page);
    await app.open(`?backend=wasm&threads=${threads}`);
    results.push(await train(app, '2000'));
    await expect(page.getByTestId('details-kernel-threads')).toHaveText(
      `${threads} — forced by ?threads=${threads}`,
    );
    expect(app.consoleErrors).toEqual([]);
  }
  expect(results[0]).toMatch(/Test accuracy/);
  expect(results[1]).toBe(results[0]);
});

test('without cross-origin isolation it trains on one thread and says why', async ({ page }) => {
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
  const app = new Playground(page);
  await app.open('?backend=wasm');
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(false);
  await train(app, '1000');
  await expect(page.getByTestId('details-kernel-threads')).toContainText(
    '1 — one thread: the page is not cross-origin isolated',
  );
  expect(await app.testAccuracy()).toBeGreaterThan(75);
});
