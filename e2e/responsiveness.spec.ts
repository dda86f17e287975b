import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_CONFIG, type TrainingConfig } from '../src/core/config.ts';
import { encodeConfigToSearch } from '../src/core/urlCodec.ts';
import { zero } from './digitStrokes.ts';
import { describeLongTasks, MainThreadProbe, waitUntilShown } from './mainThreadProbe.ts';
import { Playground } from './playground.ts';

/**
 * Training never blocks the page: no main-thread long task over 50 ms from the Train click to
 * the test result, and the charts redraw about ten times a second from downsampled series, so
 * even a batch-1 run (one point per example) keeps the page smooth. Long tasks and chart redraws
 * come from `mainThreadProbe.ts`, installed before the page's own scripts.
 */

function config(batchSize: number, trainingExamples: number, epochs: number): TrainingConfig {
  return {
    ...DEFAULT_CONFIG,
    seed: 7,
    training: { gradientDescent: 'miniBatch', batchSize, epochs },
    data: { ...DEFAULT_CONFIG.data, trainingExamples },
  };
}

/** Trains from the Train click to the test result; returns what the probe saw in between. */
async function trainAndProbe(
  page: Page,
  app: Playground,
  run: TrainingConfig,
  view: Parameters<Playground['analysisTab']>[0],
) {
  const probe = await MainThreadProbe.install(page);
  await app.open(encodeConfigToSearch(run));
  // An analysis view stays open and redraws after every epoch while training.
  await app.analysisTab(view).click();
  await probe.expectToSeeLongTasks();
  const clickedAt = await probe.now();
  await app.button('Train').click();
  await waitUntilShown(page.getByTestId('test-accuracy'));
  const reading = await probe.since(clickedAt);
  const { longTasks: during, chartRedraws: redraws, seconds } = reading;
  test.info().annotations.push(
    { type: 'main-thread long tasks after Train', description: describeLongTasks(reading, clickedAt) },
    {
      type: 'chart redraws',
      description: `${redraws.length} in ${seconds.toFixed(1)} s (${(redraws.length / seconds).toFixed(1)}/s)`,
    },
  );
  return { during, redraws, seconds };
}

test('a batch-1 run keeps the main thread free and the charts bounded', async ({ page }) => {
  const app = new Playground(page);
  // 20,000 steps: one chart point per example, far more than a chart draws.
  const { during, redraws, seconds } = await trainAndProbe(page, app, config(1, 20_000, 1), 'PCA');

  expect(redraws.length, 'the charts redrew while training').toBeGreaterThanOrEqual(3);
  expect(redraws.length / seconds, 'chart redraws per second').toBeLessThanOrEqual(12);
  const drawn = await app.pointsInChart('Loss');
  expect(drawn).toBeGreaterThan(10);
  expect(drawn, 'the loss line is downsampled').toBeLessThanOrEqual(401);
  expect(during, 'main-thread long tasks over 50 ms after Train').toEqual([]);
  expect(app.consoleErrors).toEqual([]);
});

test('a batch-128 run keeps the main thread free', async ({ page }) => {
  const app = new Playground(page);
  const { during, redraws } = await trainAndProbe(page, app, config(128, 54_000, 3), 'Misclassified');

  expect(redraws.length, 'the charts redrew while training').toBeGreaterThanOrEqual(2);
  expect(await app.pointsInChart('Loss')).toBeGreaterThan(10);
  expect(during, 'main-thread long tasks over 50 ms after Train').toEqual([]);
  expect(app.consoleErrors).toEqual([]);
});

test('a full-data run with the Layers view, the inspector and My digits on keeps the main thread free', async ({
  page,
}) => {
  const app = new Playground(page);
  const probe = await MainThreadProbe.install(page);
  await app.open(encodeConfigToSearch(config(128, 54_000, 2)));
  // One of My digits (scored after the run), then a digit left on the pad: the inspector and its
  // saliency overlay refresh with the training weights every second while training.
  await app.field('Label').selectOption('0');
  await app.drawStroke(zero);
  await app.button('Add to My digits').click();
  await expect(page.getByTestId('my-digits-score')).toHaveAttribute('data-count', '1');
  await app.drawStroke(zero);
  await expect(app.modelInput).not.toHaveAttribute('data-ink-pixels', '0');
  await app.analysisTab('Layers').click();
  await probe.expectToSeeLongTasks();
  const clickedAt = await probe.now();
  await app.button('Train').click();
  // The pad's prediction comes from the training weights; the Layers view fills as analyses
  // arrive (newest epoch first, so epoch 1's may be skipped) and shows epoch 2's at the end;
  // My digits are scored at the end.
  await waitUntilShown(page.getByTestId('prediction'));
  await waitUntilShown(page.getByRole('table', { name: /^Layer health after epoch \d$/ }));
  await waitUntilShown(page.getByTestId('test-accuracy'));
  await waitUntilShown(page.getByRole('table', { name: 'Layer health after epoch 2' }));
  await waitUntilShown(page.locator('[data-testid="my-digits-score"][data-total="1"]'));
  const reading = await probe.since(clickedAt);
  test.info().annotations.push({
    type: 'main-thread long tasks after Train',
    description: describeLongTasks(reading, clickedAt),
  });
  expect(reading.longTasks, 'main-thread long tasks over 50 ms after Train').toEqual([]);
  await expect(page.getByTestId('prediction')).toHaveText(/^Prediction: \d/);
  expect(app.consoleErrors).toEqual([]);
});
