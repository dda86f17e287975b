/**
 * Command-line arguments of `npm run train`. Parsing is pure (no process, no fs) so the error
 * messages are unit-tested; the entry turns a failure into one line on stderr and exit code 2.
 */

import { ENGINE_CHOICES, isEngineChoice, type EngineChoice } from '../core/engines.ts';

export const CLI_BACKENDS = ['wasm', 'cpu'] as const;
export type CliBackend = (typeof CLI_BACKENDS)[number];

export interface CliOptions {
  /** Path of a config v2 JSON file, as given (resolved against the working directory later). */
  readonly configPath: string;
  /** Where to write the JSON report; null = no report file. */
  readonly outPath: string | null;
  readonly backend: CliBackend;
  /** Training engine: `auto` (fused kernel on these CPU backends), `fused` or `tfjs`. */
  readonly engine: EngineChoice;
}

export type ParsedArgs =
  | { readonly kind: 'run'; readonly options: CliOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

export const USAGE =
  'Usage: npm run train -- --config configs/<name>.json [--out report.json] [--backend wasm|cpu] [--engine auto|fused|tfjs]';

const VALUE_FLAGS = ['--config', '--out', '--backend', '--engine'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

function isValueFlag(flag: string): flag is ValueFlag {
  return (VALUE_FLAGS as readonly string[]).includes(flag);
}

/** Parses `argv` without the node and script entries: `--flag value` or `--flag=value`. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const values = new Map<ValueFlag, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (!isValueFlag(flag)) {
      const what = arg.startsWith('-') ? `Unknown option ${arg}` : `Unexpected argument ${arg}`;
      return { kind: 'error', message: what };
    }
    let value: string | undefined;
    if (flag !== arg) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) value = undefined;
      else i++;
    }
    if (value === undefined || value === '') return { kind: 'error', message: `${flag} needs a value` };
    if (values.has(flag)) return { kind: 'error', message: `${flag} given more than once` };
    values.set(flag, value);
  }
  const configPath = values.get('--config');
  if (configPath === undefined) return { kind: 'error', message: 'Missing --config <file.json>' };
  const backend = values.get('--backend') ?? 'wasm';
  if (!(CLI_BACKENDS as readonly string[]).includes(backend)) {
    return {
      kind: 'error',
      message: `Unknown backend "${backend}" (expected ${CLI_BACKENDS.join(' or ')})`,
    };
  }
  const engine = values.get('--engine') ?? 'auto';
  if (!isEngineChoice(engine)) {
    return { kind: 'error', message: `Unknown engine "${engine}" (expected ${ENGINE_CHOICES.join(', ')})` };
  }
  return {
    kind: 'run',
    options: { configPath, outPath: values.get('--out') ?? null, backend: backend as CliBackend, engine },
  };
}
