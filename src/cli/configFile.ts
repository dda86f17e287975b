import { readFileSync } from 'node:fs';
import { validateConfig, type TrainingConfig } from '../core/config.ts';

/**
 * Reads a config JSON file and validates it with the same {@link validateConfig} the page uses.
 * Each failure is a one-line message naming the file; validation lists every field path.
 */

export type ConfigLoad =
  | { readonly ok: true; readonly config: TrainingConfig }
  | { readonly ok: false; readonly message: string; readonly details: readonly string[] };

/** `read` is injectable for tests; it must throw an `ENOENT`-coded error for a missing file. */
export function loadConfigFile(
  path: string,
  read: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): ConfigLoad {
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return fail(`Config file not found: ${path}`);
    if (code === 'EISDIR') return fail(`Config path is a directory, not a file: ${path}`);
    return fail(`Could not read config file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(`Config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const validation = validateConfig(json);
  if (validation.ok) return { ok: true, config: validation.config };
  const details = Object.entries(validation.errors).map(([field, message]) => `${field}: ${message}`);
  const count = details.length === 1 ? '1 problem' : `${details.length} problems`;
  return { ok: false, message: `Config file ${path} is not a valid config (${count}):`, details };
}

function fail(message: string): ConfigLoad {
  return { ok: false, message, details: [] };
}
