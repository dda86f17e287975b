import { execFileSync } from 'node:child_process';

/**
 * Test support (imported by tests only). Finding a Python for the tests of the exported PyTorch script: CI may have none, or one without
 * `torch` (Debian's python3-torch lives under /usr/bin/python3 here, while `python3` on PATH may
 * be another install). Tests that need one skip with a message instead of failing.
 */

const CANDIDATES = [process.env['PYTHON'], 'python3', '/usr/bin/python3'].filter(
  (candidate): candidate is string => candidate !== undefined && candidate !== '',
);

function runs(python: string, code: string): boolean {
  try {
    execFileSync(python, ['-c', code], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

/** The first Python 3.8+ found, or null. */
export const PYTHON: string | null =
  CANDIDATES.find((python) => runs(python, 'import sys; assert sys.version_info >= (3, 8)')) ?? null;

/** The first Python that imports `torch`, or null. */
export const PYTHON_WITH_TORCH: string | null =
  CANDIDATES.find((python) => runs(python, 'import torch')) ?? null;

/** Runs `code` with `python`, `input` on stdin; its stdout. Throws with stderr on failure. */
export function runPython(python: string, code: string, input = ''): string {
  return execFileSync(python, ['-c', code], {
    input,
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 << 20,
  });
}
