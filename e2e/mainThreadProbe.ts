import { expect, type Locator, type Page } from '@playwright/test';

/**
 * What the main thread did while a test trained: every long task (a task over 50 ms, from a
 * `PerformanceObserver` on 'longtask') and every chart redraw (a `MutationObserver` on the
 * `data-draws` counter each chart canvas bumps when it paints; charts painted in the same task
 * count once, as they reach the screen together). Installed with `page.addInitScript`
 * ({@link MainThreadProbe.install}), so it runs before the page's own scripts and misses nothing.
 */

/** One main-thread task over 50 ms; times in ms on the page's `performance.now()` clock. */
export interface LongTask {
  readonly start: number;
  readonly duration: number;
  /** The frames and containers Chromium blames, e.g. "self/window". */
  readonly attribution: string;
}

interface Probe {
  longTasks: LongTask[];
  /** `performance.now()` of each chart redraw (ms). */
  chartRedraws: number[];
}

declare global {
  interface Window {
    __probe: Probe;
  }
}

/** The init script: serialised into the page by Playwright, so it uses nothing from this module. */
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

/** What the probe saw from a mark to now. */
export interface ProbeReading {
  readonly longTasks: readonly LongTask[];
  /** The longest of {@link longTasks} in ms (0 without any). */
  readonly longestTaskMs: number;
  /** `performance.now()` of each chart redraw (ms). */
  readonly chartRedraws: readonly number[];
  /** From the mark to the reading. */
  readonly seconds: number;
}

/** The probe of one page: installed before the page opens, self-checked, then read from a mark. */
export class MainThreadProbe {
  private constructor(private readonly page: Page) {}

  /** Installs the probe in every document `page` loads from now on: call before opening it. */
  static async install(page: Page): Promise<MainThreadProbe> {
    await page.addInitScript(installProbe);
    return new MainThreadProbe(page);
  }

  /** The page's `performance.now()` (ms): a mark for {@link since}. */
  now(): Promise<number> {
    return this.page.evaluate(() => performance.now());
  }

  /**
   * Blocks the main thread for 120 ms and waits until the probe reports it: proof that "no long
   * tasks" later means none happened, not that the observer saw nothing. Call before the mark.
   */
  async expectToSeeLongTasks(): Promise<void> {
    const before = await this.now();
    // In a task of the page's own (a timer): Chromium does not report DevTools' evaluations.
    await this.page.evaluate(
      () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            const end = performance.now() + 120;
            while (performance.now() < end);
            resolve();
          }),
        ),
    );
    await expect
      .poll(async () => (await this.since(before)).longTasks.length, {
        message: 'the probe sees a 120 ms task',
      })
      .toBeGreaterThan(0);
  }

  /** Long tasks and chart redraws from `mark` (a {@link now} reading) to now. */
  async since(mark: number): Promise<ProbeReading> {
    const { longTasks, chartRedraws, now } = await this.page.evaluate(() => ({
      ...window.__probe,
      now: performance.now(),
    }));
    const during = longTasks.filter((task) => task.start >= mark);
    return {
      longTasks: during,
      longestTaskMs: Math.max(0, ...during.map((task) => task.duration)),
      chartRedraws: chartRedraws.filter((t) => t >= mark),
      seconds: (now - mark) / 1000,
    };
  }
}

/** "2, longest 73 ms [73 ms at 1200 ms: self/window] […]", times from `mark`, for a test annotation. */
export function describeLongTasks(reading: ProbeReading, mark: number): string {
  const each = reading.longTasks.map(
    (t) => ` [${Math.round(t.duration)} ms at ${Math.round(t.start - mark)} ms: ${t.attribution}]`,
  );
  return `${reading.longTasks.length}, longest ${Math.round(reading.longestTaskMs)} ms${each.join('')}`;
}

/**
 * Waits until `locator` is shown without Playwright's `expect` polling the page. Playwright
 * 1.65's `expect(…).toBeVisible()` / `toHaveAttribute()` renders an aria snapshot of the whole
 * page in the page's main thread after every poll that fails, to word a possible failure: on
 * this page with a run going, 30–80 ms per poll on a busy 2-core machine, which the probe would
 * charge to the app as long tasks. `locator.waitFor` only queries the selector. Use it for the
 * waits inside a probed interval; plain `expect` before the mark and after the reading.
 */
export async function waitUntilShown(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible' });
}
