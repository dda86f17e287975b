import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_CONFIG, type TrainingConfig } from '../src/core/config.ts';
import { encodeConfigToSearch } from '../src/core/urlCodec.ts';
import { Playground } from './playground.ts';

/**
 * Training never blocks the page: no main-thread long task over 50 ms from the Train click to
 * the test result, and the charts redraw about ten times a second from downsampled series, so
 * even a batch-1 run (one point per example) keeps the page smooth. Long tasks come from a
 * PerformanceObserver installed before the page's own scripts; chart redraws from a
 * MutationObserver on the `data-draws` counter each chart canvas bumps when it paints (charts
 * painted in the same task count once, as they reach the screen together).
 */

interface LongTask {
  readonly start: number;
  readonly duration: number;
  readonly attribution: string;
}

interface Probe {
  longTasks: LongTask[];
  chartRedraws: number[];
}

declare global {
  interface Window {
    __probe: Probe;
  }
}

function installProbe(): void {
  const probe: Probe = { longTasks: [], chartRedraws: [] };
  window.__probe = probe;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { attribution?: PerformanceEntry[] })[]) {
      const attribution = (entry.attribution ?? [])
        .map((a) => {
          const timing = a as PerformanceEntry & { containerType?: string; containerSrc?: string };
          return `${a.name}/${timing.containerType ?? ''}${timing.containerSrc ? ` ${timing.containerSrc}` : ''}`;
        })
        .join(', ');
      probe.longTasks.push({ start: entry.startTime, duration: entry.duration, attribution });
    }
  }).observe({ type: 'longtask', buffered: true });
  const observeCharts = () =>
    new MutationObserver((records) => {
      const inChart = records.some(
        (r) => r.target instanceof HTMLCanvasElement && r.target.closest('figure'),
      );
      if (inChart) probe.chartRedraws.push(performance.now());
    }).observe(document.documentElement, {
      subtree: true,
      attributes: true,
      attributeFilter: ['data-draws'],
    });
  if (document.documentElement) observeCharts();
  else document.addEventListener('DOMContentLoaded', observeCharts);
}

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
  await page.addInitScript(installProbe);
  await app.open(encodeConfigToSearch(run));
  // An analysis view stays open and redraws after every epoch while training.
  await app.analysisTab(view).click();
  const clickedAt = await page.evaluate(() => performance.now());
  await app.button('Train').click();
  await expect(page.getByTestId('test-accuracy')).toBeVisible();
  const { longTasks, chartRedraws, finishedAt } = await page.evaluate(() => ({
    ...window.__probe,
    finishedAt: performance.now(),
  }));
  const during = longTasks.filter((task) => task.start >= clickedAt);
  const redraws = chartRedraws.filter((t) => t >= clickedAt);
  const seconds = (finishedAt - clickedAt) / 1000;
  const longest = Math.max(0, ...during.map((task) => task.duration));
  test.info().annotations.push(
    {
      type: 'main-thread long tasks after Train',
      description: `${during.length}, longest ${Math.round(longest)} ms${during.map((t) => ` [${Math.round(t.duration)} ms at ${Math.round(t.start - clickedAt)} ms: ${t.attribution}]`).join('')}`,
    },
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
