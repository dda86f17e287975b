import { expect, test } from '@playwright/test';
import { Playground } from './playground.ts';

test('trains the default MLP on a small MNIST subset and reports test accuracy', async ({ page }) => {
  const app = new Playground(page);
  await app.open();
  await expect(page.getByText('109,386 parameters')).toBeVisible();
  await expect(page.getByTestId('backend-in-use')).toHaveText(/^Using (webgpu|webgl|wasm|cpu)$/);

  await app.configure({ 'Training examples': '3000', Epochs: '2' });
  await app.button('Train').click();
  await expect(app.status).toHaveText(/Training — Epoch [12] \/ 2/);
  await expect(app.status).toHaveText('Finished — Epoch 2 / 2');

  expect(await app.pointsInChart('Loss')).toBeGreaterThan(10);
  expect(await app.pointsInChart('Accuracy')).toBeGreaterThan(10);
  await expect(page.getByTestId('loss-summary')).toContainText('Validation loss');
  // 3,000 examples for 2 epochs is far from the full run, but well above chance (10%).
  expect(await app.testAccuracy()).toBeGreaterThan(80);
  expect(app.consoleErrors).toEqual([]);
});

test('stays responsive while training: scroll, Pause, Resume and Stop all answer', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 600 });
  const app = new Playground(page);
  await app.open();
  await page.evaluate(() => {
    const longTasks: number[] = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration))).observe({
      type: 'longtask',
    });
    (window as unknown as { longTasks: number[] }).longTasks = longTasks;
  });
  await app.configure({ Epochs: '1' });
  await app.button('Train').click();
  await expect(app.status).toHaveText('Training — Epoch 1 / 1');
  await expect(page.getByTestId('throughput')).toHaveText(/[1-9][\d,]* examples\/s/);

  await page.mouse.wheel(0, 600);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);

  await app.button('Pause').click();
  await expect(app.status).toHaveText('Paused — Epoch 1 / 1');
  await app.button('Resume').click();
  await expect(app.status).toHaveText('Training — Epoch 1 / 1');
  await app.button('Stop').click();
  await expect(app.status).toHaveText('Stopped — Epoch 1 / 1');
  await expect(page.getByTestId('test-accuracy')).toBeVisible();

  const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  test.info().annotations.push({
    type: 'main-thread long tasks',
    description: `${longTasks.length}, longest ${Math.round(Math.max(0, ...longTasks))} ms`,
  });
  expect(app.consoleErrors).toEqual([]);
});
