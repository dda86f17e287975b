import { readFileSync } from 'node:fs';
import { MAX_CONFIG_FILE_BYTES, validateConfig, type TrainingConfig } from '../core/config.ts';

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
  if (text.length > MAX_CONFIG_FILE_BYTES) {
    const size = (n: number) => n.toLocaleString('en-US');
    return fail(
      `Config file ${path} is too large to be a config (${size(text.length)} characters; at most ${size(MAX_CONFIG_FILE_BYTES)})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(`Config file ${path} is not valid JSON: ${oneLine((error as Error).message)}`);
  }
  const validation = validateConfig(json);
  if (validation.ok) return { ok: true, config: validation.config };
  const details = Object.entries(validation.errors).map(([field, message]) =>
    oneLine(`${field}: ${message}`),
  );
  const count = details.length === 1 ? '1 problem' : `${details.length} problems`;
  return { ok: false, message: `Config file ${path} is not a valid config (${count}):`, details };
}

/**
 * Text from the file (JSON.parse quotes it in its messages) made safe for one terminal line:
 * control characters, line breaks and escape sequences escaped, and cut to 300 characters.
 */
function oneLine(text: string): string {
  const escaped = text.replace(
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return escaped.length > 300 ? `${escaped.slice(0, 300)}…` : escaped;
}

function fail(message: string): ConfigLoad {
  return { ok: false, message, details: [] };
}
