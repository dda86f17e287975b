import { existsSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { TrainingConfig } from '../core/config.ts';
import type { EngineInfo, KernelVariant } from '../core/engines.ts';
import type { ThreadChoice } from '../core/kernelThreads.ts';
import { compiledKernel } from '../ml/fused/kernel.ts';
import { MemoryBudgetError } from '../ml/memoryGuard.ts';
import { RunController } from '../ml/runControl.ts';
import { runTraining, type BatchReport } from '../ml/trainingLoop.ts';
import { parseArgs, USAGE, type CliOptions } from './args.ts';
import { loadConfigFile } from './configFile.ts';
import { setUpBackend } from './nodeBackend.ts';
import { nodeKernelThreadHost } from './kernelThreads.ts';
import { EpochRecorder } from './recorder.ts';
import { loadMnistFromPackage } from './nodeData.ts';
import { formatEpochLine, formatResults, progressBar, type TrainReport } from './report.ts';

/**
 * `npm run train -- --config configs/<name>.json [--out report.json] [--backend wasm|cpu]
 * [--engine …] [--threads auto|N]`: trains a config file in Node with the same src/ml engine and
 * the same kernel build the page's worker runs (relaxed SIMD, see `wasmFeatures.ts`), the fused
 * kernel on worker threads like the page's nested workers (`--threads`, measured by default). Epoch lines
 * and results go to stdout, the progress bar to stderr (only when it is a terminal). Ctrl-C
 * stops after the current batch and still reports; a second Ctrl-C quits at once.
 */

/** Exit code for bad usage or a bad config file. */
const EXIT_USAGE = 2;
/** Exit code after a Ctrl-C that stopped the run early (the report is still written). */
const EXIT_INTERRUPTED = 130;
/** The loss became NaN or ∞ or exploded; the report is still written, for the last good weights. */
const EXIT_DIVERGED = 1;

class UsageError extends Error {
  constructor(
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

function checkOutPath(outPath: string | null): void {
  if (outPath === null) return;
  const dir = dirname(resolve(outPath));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`Cannot write the report: directory ${dir} does not exist`);
  }
}

function options(argv: readonly string[]): CliOptions | null {
  const parsed = parseArgs(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return null;
  }
  if (parsed.kind === 'error') throw new UsageError(`${parsed.message}. ${USAGE}`);
  return parsed.options;
}

function loadConfig(path: string): TrainingConfig {
  const loaded = loadConfigFile(path);
  if (!loaded.ok) throw new UsageError(loaded.message, loaded.details);
  return loaded.config;
}

/** Progress on stderr: a redrawn bar on a terminal, a plain line per quarter epoch otherwise. */
class Progress {
  private readonly tty = process.stderr.isTTY === true;
  private quarter = 0;
  private epoch = 0;

  constructor(private readonly start: { epochs: number; batchesPerEpoch: number }) {}

  batches(report: BatchReport): void {
    const fraction = report.batchInEpoch / this.start.batchesPerEpoch;
    const label = `epoch ${report.epoch}/${this.start.epochs}`;
    const speed = `${Math.round(report.examplesPerSecond).toLocaleString('en-US')} ex/s`;
    if (this.tty) {
      process.stderr.write(`\r\x1b[2K${label} ${progressBar(fraction)} ${speed}`);
      return;
    }
    if (report.epoch !== this.epoch) [this.epoch, this.quarter] = [report.epoch, 0];
    const quarter = Math.floor(fraction * 4);
    if (quarter > this.quarter && quarter < 4) {
      this.quarter = quarter;
      process.stderr.write(`  ${label}: ${25 * quarter}% of batches, ${speed}\n`);
    }
  }

  clear(): void {
    if (this.tty) process.stderr.write('\r\x1b[2K');
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const opts = options(argv);
  if (opts === null) return 0;
  const config = loadConfig(opts.configPath);
  checkOutPath(opts.outPath);
  const title = config.name ?? opts.configPath;
  process.stdout.write(`${title}\n`);

  const backendStart = performance.now();
  const backend = await setUpBackend(opts.backend);
  const backendMs = performance.now() - backendStart;
  if (backend.fallbackReason !== null) {
    process.stderr.write(`Note: ${backend.fallbackReason}; using the cpu backend instead.\n`);
  }
  const dataStart = performance.now();
  const data = loadMnistFromPackage();
  const dataLoadMs = performance.now() - dataStart;

  const controller = new RunController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT_INTERRUPTED);
    process.stderr.write('\nStopping after this batch (Ctrl-C again to quit now)…\n');
    controller.stop();
  };
  process.on('SIGINT', onSigint);

  const recorder = new EpochRecorder();
  let progress: Progress | null = null;
  let engine: EngineInfo | null = null;
  let kernelThreads: ThreadChoice | null = null;
  let kernel: KernelVariant | null = null;
  const result = await runTraining(config, data, {
    control: controller,
    engine: opts.engine,
    threads: { host: nodeKernelThreadHost(), request: opts.threads },
    now: () => performance.now(),
    yieldToEventLoop: () => new Promise<void>((done) => setImmediate(done)),
    reportEveryMs: 250,
    onStart: (info) => {
      const run = recorder.start(info);
      progress = new Progress(info);
      const n = (x: number) => x.toLocaleString('en-US');
      process.stdout.write(
        `${n(run.parameterCount)} parameters, ${n(run.trainingExamples)} training / ${n(run.validationExamples)} validation examples, batch ${run.batchSize}, ${n(run.batchesPerEpoch)} batches per epoch, backend ${backend.name}\nEngine: ${info.engine.reason}\n`,
      );
      engine = info.engine;
      kernel = info.engine.path === 'fused' ? (compiledKernel()?.variant ?? null) : null;
    },
    onBatches: (report) => {
      kernelThreads = report.threads ?? kernelThreads;
      recorder.batches(report);
      progress?.batches(report);
    },
    onEpoch: (report) => {
      progress?.clear();
      const record = recorder.epoch(report);
      process.stdout.write(`${formatEpochLine(record, config.training.epochs)}\n`);
    },
    onEvaluating: () => {
      progress?.clear();
      process.stderr.write('Evaluating on the 10,000 test images…\n');
    },
    onPaused: () => {},
    onResumed: () => {},
  });
  process.off('SIGINT', onSigint);

  const examplesSeen = recorder.examplesSeen();
  const results = {
    stopped: result.stopped,
    diverged: result.diverged,
    best: result.best,
    finalTest: result.finalTest,
  };
  const timings = {
    dataLoadMs,
    backendMs,
    trainMs: result.trainMs,
    // performance.now() counts from process start, so this includes loading modules and data.
    wallMs: performance.now(),
    examplesPerSecond: result.trainMs > 0 ? (examplesSeen * 1000) / result.trainMs : 0,
  };
  const environment = {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: cpus().length,
    requestedBackend: opts.backend,
    backend: backend.name,
    threads: backend.threads,
    backendNote: backend.fallbackReason,
    requestedEngine: opts.engine,
    engine,
    kernel,
    requestedThreads: opts.threads,
    kernelThreads,
  };
  for (const line of formatResults(results, timings, environment)) process.stdout.write(`${line}\n`);

  if (opts.outPath !== null) {
    const report: TrainReport = {
      reportVersion: 1,
      createdAt: new Date().toISOString(),
      configFile: opts.configPath,
      config,
      environment,
      run: recorder.run,
      epochs: recorder.epochs,
      results,
      timings,
    };
    writeFileSync(opts.outPath, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`Report written to ${opts.outPath}\n`);
  }
  if (result.diverged !== null) return EXIT_DIVERGED;
  return result.stopped ? EXIT_INTERRUPTED : 0;
}

/**
 * Runs the CLI and sets `process.exitCode`: 0 done, 1 failure (training diverged included), 2
 * usage or config error (a config too big for memory included), 130 Ctrl-C.
 */
export function runCli(argv: readonly string[]): void {
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`error: ${error.message}\n`);
        for (const detail of error.details) process.stderr.write(`  ${detail}\n`);
        process.exitCode = EXIT_USAGE;
        return;
      }
      if (error instanceof MemoryBudgetError) {
        process.stderr.write(`error: ${error.message}\n`);
        process.exitCode = EXIT_USAGE;
        return;
      }
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
