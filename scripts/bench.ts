/**
 * `npm run bench`: after `vite build --mode bench` (the app and `bench.html`, built into their
 * own folder: the bench page never ships with the app), serves that build, drives headless Chromium
 * through `bench.html` (training in the app's real worker with the real engine; the training
 * timeline with the analysis on), the stock TF.js Layers `model.fit` baseline, the app page itself
 * (W1 end to end, the time to 98%), and the PyTorch CPU reference at several thread counts
 * (`scripts/benchTorch.ts`); prints the issue's figures and a markdown table (each naming the
 * machine) and writes bench/results/latest.json.
 * Flags: see {@link USAGE}.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import * as prettier from 'prettier';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { BENCH_MODE, BENCH_OUT_DIR } from '../vite.config.ts';
import type { BenchRunResult, BenchRunSpec, BenchWindow, FitResult, FitSpec } from '../src/bench/benchApi.ts';
import { WORKLOADS, endToEndConfig, workloadConfig } from '../src/bench/workloads.ts';
import { runEndToEnd, runTimeTo98 } from './benchApp.ts';
import { fullReport } from './benchFigures.ts';
import { runGpuProbes } from './benchGpu.ts';
import { measureLayerHealthCost } from './benchLayerHealth.ts';
import { gpuFiguresRefusal, webgpuAdapter, type GpuSection } from './benchGpuReport.ts';
import { USAGE, parseBenchArgs, withGpuFigureItems, type BenchOptions, type PlanItem } from './benchPlan.ts';
import {
  bestTorch,
  isSkipped,
  kernelThreadsText,
  replaceBenchSection,
  summarise,
  type BenchResults,
  type BenchRow,
  type FitRow,
  type Outcome,
  type SkippedRow,
  type Timeline,
  type TorchReference,
} from './benchReport.ts';
import { runTorch } from './benchTorch.ts';

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

/**
 * The one bench page, at `bench.html?threads=N` for a forced fused-kernel thread count (the page
 * hands it to its worker) or plain `bench.html` for the app's own choice; navigating to another
 * count starts fresh workers.
 */
class BenchPage {
  private threads: number | null | undefined = undefined;

  constructor(
    readonly page: Page,
    private readonly url: string,
  ) {}

  async at(threads: number | null): Promise<ReturnType<typeof bench>> {
    if (this.threads !== threads) {
      await this.page.goto(`${this.url}/bench.html${threads === null ? '' : `?threads=${threads}`}`);
      await this.page.waitForSelector('body[data-bench-ready="true"]');
      this.threads = threads;
    }
    return bench(this.page);
  }
}

async function runItems(
  page: BenchPage,
  options: BenchOptions,
  torch: Outcome<TorchReference>,
): Promise<{ rows: BenchRow[]; skipped: SkippedRow[] }> {
  const rows: BenchRow[] = [];
  const skipped: SkippedRow[] = [];
  const deadBackends = new Set<string>();
  let lastSession: string | null = null;
  for (const item of options.items) {
    if (deadBackends.has(item.backend)) continue;
    const api = await page.at(item.threads);
    if (lastSession !== `${item.backend}/${item.threads}`) await api.reset();
    lastSession = `${item.backend}/${item.threads}`;
    const forced = item.threads === null ? '' : ` · ${item.threads} thread(s) forced`;
    const what = `${item.backend} · ${item.engine} · ${item.workload}${forced}`;
    const spec = (examples?: number): BenchRunSpec => ({
      backend: item.backend,
      engine: item.engine,
      config: workloadConfig(item.workload, examples),
      capMs: examples === undefined ? item.capMs : Math.min(item.capMs, 30_000),
      analysis: false,
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
          ` (${result.engine?.path ?? '?'}, ${result.kernelThreads === null ? `TF.js ${result.threads} thread(s)` : `kernel ${kernelThreadsText(result.kernelThreads)}`}, ${(result.wallMs / 1000).toFixed(1)} s wall, trainMs ${(result.trainMs / 1000).toFixed(1)} s` +
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
      kernelThreads: last.kernelThreads,
      examplesPerSecond: rates,
      wallMs: results.map((r) => r.wallMs),
      trainMs: results.map((r) => r.trainMs),
      ...summarise(rates, bestTorch(torch, item.workload)?.examplesPerSecond),
      tensorsAlive: alive.includes(null) ? null : Math.max(...(alive as number[])),
      capped: results.some((r) => r.capped),
      testAccuracy: last.testAccuracy,
    });
  }
  await (await page.at(null)).reset();
  return { rows, skipped };
}

async function runFit(
  page: BenchPage,
  options: BenchOptions,
  torch: Outcome<TorchReference>,
): Promise<Outcome<{ rows: FitRow[] }>> {
  if (!options.fit) return { skipped: '--no-fit' };
  const api = await page.at(null);
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
      ...summarise(rates, bestTorch(torch, workload)?.examplesPerSecond),
      tensorsAlive: Math.max(...results.map((r) => r.tensorsAlive - r.tensorsBefore)),
    });
  }
  return { rows };
}

/**
 * W1 end to end (`endToEndConfig`) in the app's worker with validation and the per-epoch
 * analysis on, as the app trains: when each epoch's reports reach the page.
 */
async function runTimeline(page: BenchPage, options: BenchOptions): Promise<Outcome<Timeline>> {
  if (!options.timeline) return { skipped: '--no-timeline' };
  const api = await page.at(options.appThreads);
  const spec: BenchRunSpec = {
    backend: 'wasm',
    engine: 'auto',
    config: endToEndConfig(),
    capMs: 10 * 60_000,
    analysis: true,
  };
  const warm = await api.run({ ...spec, config: workloadConfig('W1', 2560) });
  if (!warm.ok) return { skipped: warm.error };
  const runs: Timeline['runs'][number][] = [];
  for (let run = 0; run < options.appRuns; run++) {
    const result = await api.run(spec);
    if (!result.ok) return { skipped: result.error };
    const gaps = result.epochs.map((e) => `${Math.round(e.epochMs)}/${Math.round(e.epochAtMs)}`).join(', ');
    log(`Timeline run ${run + 1}/${options.appRuns} (epoch ms / arrival ms): ${gaps}`);
    runs.push(result.epochs);
  }
  await api.reset();
  return { runs };
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

  const url = await startServer(options.port);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const tab = await browser.newPage();
  tab.on('pageerror', (error) => log(`[bench page error] ${error.message}`));
  tab.on('console', (message) => {
    if (message.type() === 'error') log(`[bench page console] ${message.text()}`);
  });
  const page = new BenchPage(tab, url);

  let dataLoad: BenchResults['dataLoad'];
  try {
    const api = await page.at(null);
    const cold = await api.load();
    const warm = await api.load();
    dataLoad = { coldMs: cold.loadMs, warmMs: warm.loadMs };
    log(`MNIST ready in the worker: ${Math.round(warm.loadMs)} ms warm, ${Math.round(cold.loadMs)} ms first`);
  } catch (error) {
    dataLoad = { skipped: error instanceof Error ? error.message : String(error) };
  }
  await page.at(null);
  const probes = await runGpuProbes(tab, options.gpu, log);
  const adapter = webgpuAdapter(probes);
  const refusal = options.gpu ? gpuFiguresRefusal(adapter) : '--no-gpu';
  const gpu: GpuSection = {
    probes,
    figures: refusal === null ? { adapter: adapter?.text ?? 'unknown adapter' } : { skipped: refusal },
  };
  if (refusal !== null) log(`GPU figures skipped: ${refusal}`);
  const items = refusal === null ? withGpuFigureItems(options) : options.items;
  const { rows, skipped } = await runItems(page, { ...options, items }, torch);
  const fit = await runFit(page, options, torch);
  const timeline = await runTimeline(page, options);
  const layerHealthCost = options.layerHealth
    ? await measureLayerHealthCost(await page.at(options.appThreads), options.layerHealthPairs, log)
    : { skipped: '--no-layer-health' };
  await tab.close();
  const endToEnd = await runEndToEnd({ browser, url, options });
  const timeTo98 = await runTimeTo98({ browser, url, options });

  const results: BenchResults = {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cpus: cpus().length,
    chromium: browser.version(),
    node: process.version,
    date: new Date().toISOString(),
    commit: commit(),
    runs: options.runs,
    rows,
    skipped,
    fit,
    torch,
    dataLoad,
    timeTo98,
    endToEnd,
    timeline,
    layerHealthCost,
    gpu,
  };
  const report = fullReport(results);
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
