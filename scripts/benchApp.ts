import { existsSync, readFileSync } from 'node:fs';
import type { Browser } from '@playwright/test';
import { END_TO_END_EPOCHS, endToEndConfig } from '../src/bench/workloads.ts';
import { effectiveTrainingExamples, validateConfig, type TrainingConfig } from '../src/core/config.ts';
import { encodeConfigToSearch } from '../src/core/urlCodec.ts';
import type { BenchOptions } from './benchPlan.ts';
import { median, type EndToEnd, type Outcome, type TimeTo98 } from './benchReport.ts';

/**
 * The bench's runs on the real app page (not the bench page): a person's view of speed, from the
 * Train click to the test result on the page, with the page's own views drawing. The time to
 * 98% (the ≥ 98% preset) and W1 end to end ({@link endToEndConfig}).
 */

const log = (message: string) => process.stderr.write(`${message}\n`);
const firstLine = (error: unknown) => (error instanceof Error ? error.message.split('\n')[0] : String(error));

/** The browser, the served build's URL and the plan. */
export interface AppBench {
  readonly browser: Browser;
  readonly url: string;
  readonly options: BenchOptions;
}

interface AppRun {
  readonly wallSeconds: number;
  /** Percent, as the page shows it. */
  readonly testAccuracy: number;
  readonly backend: string;
  /** Details → kernel threads (count, why, rates measured), as the page shows it after the run. */
  readonly threads: string;
}

/**
 * Opens the app with `config` (and `?threads=` when forced), opens Details and the analysis
 * views' heaviest tab so every view draws, presses Train and waits for the test result.
 */
async function appRun(
  browser: Browser,
  url: string,
  config: TrainingConfig,
  threads: number | null,
  capMs: number,
): Promise<AppRun> {
  const page = await browser.newPage();
  try {
    const search = encodeConfigToSearch(config, threads === null ? '' : `threads=${threads}`);
    await page.goto(`${url}/${search}`);
    await page.getByText('Ready — press Train').waitFor({ timeout: 120_000 });
    const backend = ((await page.getByTestId('backend-in-use').textContent()) ?? '').replace(/^Using /, '');
    await page.locator('details.details > summary').click();
    await page.getByRole('tab', { name: 'PCA' }).click();
    const started = Date.now();
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const result = page.getByTestId('test-accuracy');
    await result.waitFor({ timeout: capMs });
    const wallSeconds = (Date.now() - started) / 1000;
    const text = (await result.textContent()) ?? '';
    const threadsShown = ((await page.getByTestId('details-kernel-threads').textContent()) ?? '').trim();
    return {
      wallSeconds,
      testAccuracy: Number(/([\d.]+)%/.exec(text)?.[1] ?? Number.NaN),
      backend,
      threads: threadsShown,
    };
  } finally {
    await page.close();
  }
}

/** The app page from the Train click to the test accuracy, with the ≥ 98% preset. */
export async function runTimeTo98({ browser, url, options }: AppBench): Promise<Outcome<TimeTo98>> {
  if (!options.timeTo98) return { skipped: '--no-time-to-98' };
  const file = ['configs/fast-98-percent.json', 'configs/mlp-98-percent.json'].find((f) => existsSync(f));
  if (file === undefined)
    return { skipped: 'no configs/fast-98-percent.json or configs/mlp-98-percent.json' };
  const validation = validateConfig(JSON.parse(readFileSync(file, 'utf8')));
  if (!validation.ok) return { skipped: `${file} is invalid: ${JSON.stringify(validation.errors)}` };
  const preset = file.replace(/^configs\/|\.json$/g, '');
  log(`Time to 98%: ${preset} on the app page`);
  try {
    const run = await appRun(browser, url, validation.config, options.appThreads, options.timeTo98CapMs);
    const { wallSeconds, testAccuracy, backend } = run;
    log(
      `Time to 98%: ${wallSeconds.toFixed(1)} s, ${testAccuracy}% (${backend}, kernel threads: ${run.threads})`,
    );
    return { preset, wallSeconds, testAccuracy, reached98: testAccuracy >= 98, backend };
  } catch (error) {
    return { skipped: `the app run failed: ${firstLine(error)}` };
  }
}

/** W1 for 5 epochs on the app page, every view on: median of `options.appRuns` runs. */
export async function runEndToEnd({ browser, url, options }: AppBench): Promise<Outcome<EndToEnd>> {
  if (!options.endToEnd) return { skipped: '--no-end-to-end' };
  const config = endToEndConfig();
  const examples = effectiveTrainingExamples(config) * END_TO_END_EPOCHS;
  const runs: AppRun[] = [];
  try {
    for (let i = 0; i < options.appRuns; i++) {
      const run = await appRun(browser, url, config, options.appThreads, 10 * 60_000);
      log(
        `W1 end to end run ${i + 1}/${options.appRuns}: ${run.wallSeconds.toFixed(1)} s, ` +
          `${Math.round(examples / run.wallSeconds)} examples/s, ${run.testAccuracy}% (${run.backend}, kernel threads: ${run.threads})`,
      );
      runs.push(run);
    }
  } catch (error) {
    return { skipped: `the app run failed: ${firstLine(error)}` };
  }
  const last = runs.at(-1);
  if (last === undefined) return { skipped: 'no runs' };
  const rates = runs.map((run) => examples / run.wallSeconds);
  return {
    examples,
    epochs: END_TO_END_EPOCHS,
    wallSeconds: runs.map((run) => run.wallSeconds),
    examplesPerSecond: rates,
    medianExamplesPerSecond: median(rates),
    testAccuracy: last.testAccuracy,
    backend: last.backend,
    threads: last.threads,
  };
}
