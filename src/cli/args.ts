/**
 * Command-line arguments of `npm run train`. Parsing is pure (no process, no fs) so the error
 * messages are unit-tested; the entry turns a failure into one line on stderr and exit code 2.
 */

import { parseArgs as parseNodeArgs } from 'node:util';
import type { EngineChoice } from '../core/engines.ts';
import { MAX_THREAD_REQUEST, parseThreadRequest, type ThreadRequest } from '../core/kernelThreads.ts';

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
  /**
   * Fused-kernel threads (`--threads`): `auto` measures 1 … the cores at the start of the run and
   * keeps the fastest; a number forces that many (capped at the cores), the same as `?threads=`.
   */
  readonly threads: ThreadRequest;
}

export type ParsedArgs =
  | { readonly kind: 'run'; readonly options: CliOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

/** Engines Node can run: no WebGPU here, so not the fused WebGPU engine. */
const CLI_ENGINES = ['auto', 'fused', 'tfjs'] as const satisfies readonly EngineChoice[];

function isCliEngine(value: string): value is (typeof CLI_ENGINES)[number] {
  return (CLI_ENGINES as readonly string[]).includes(value);
}

export const USAGE =
  'Usage: npm run train -- --config configs/<name>.json [--out report.json] [--backend wasm|cpu] [--engine auto|fused|tfjs] [--threads auto|N]';

/** The flags, for `node:util` `parseArgs`: five that take a value, and help. */
const OPTIONS = {
  config: { type: 'string' },
  out: { type: 'string' },
  backend: { type: 'string' },
  engine: { type: 'string' },
  threads: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type ValueFlag = Exclude<keyof typeof OPTIONS, 'help'>;

function isValueFlag(name: string): name is ValueFlag {
  return name !== 'help' && Object.hasOwn(OPTIONS, name);
}

/**
 * Parses `argv` without the node and script entries: `--flag value` or `--flag=value`. Node's
 * `parseArgs` splits the words (non-strict, so that every refusal gets our own one-line message);
 * the words are then read in order and the first problem, or help, is the answer.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const { tokens } = parseNodeArgs({
    args: [...argv],
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values = new Map<ValueFlag, string>();
  for (const token of tokens) {
    const arg = argv[token.index] ?? '';
    if (token.kind === 'option' && token.name === 'help' && (arg === '--help' || arg === '-h')) {
      return { kind: 'help' };
    }
    if (token.kind !== 'option' || !isValueFlag(token.name)) {
      const what = arg.startsWith('-') ? `Unknown option ${arg}` : `Unexpected argument ${arg}`;
      return { kind: 'error', message: what };
    }
    const flag = token.rawName;
    // `--config --out r.json`: Node takes `--out` as the value; a value never starts with `--`.
    const value = token.inlineValue === false && token.value?.startsWith('--') ? undefined : token.value;
    if (value === undefined || value === '') return { kind: 'error', message: `${flag} needs a value` };
    if (values.has(token.name)) return { kind: 'error', message: `${flag} given more than once` };
    values.set(token.name, value);
  }
  const configPath = values.get('config');
  if (configPath === undefined) return { kind: 'error', message: 'Missing --config <file.json>' };
  const backend = values.get('backend') ?? 'wasm';
  if (!(CLI_BACKENDS as readonly string[]).includes(backend)) {
    return {
      kind: 'error',
      message: `Unknown backend "${backend}" (expected ${CLI_BACKENDS.join(' or ')})`,
    };
  }
  const engine = values.get('engine') ?? 'auto';
  if (!isCliEngine(engine)) {
    return { kind: 'error', message: `Unknown engine "${engine}" (expected ${CLI_ENGINES.join(', ')})` };
  }
  const threadsText = values.get('threads') ?? 'auto';
  const threads = parseThreadRequest(threadsText);
  if (threads === null) {
    return {
      kind: 'error',
      message: `--threads must be auto or a whole number from 1 to ${MAX_THREAD_REQUEST}, not "${threadsText}"`,
    };
  }
  return {
    kind: 'run',
    options: {
      configPath,
      outPath: values.get('out') ?? null,
      backend: backend as CliBackend,
      engine,
      threads,
    },
  };
}
