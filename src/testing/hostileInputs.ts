import fc from 'fast-check';
import {
  ACTIVATIONS,
  GRADIENT_DESCENT,
  INITIALIZERS,
  LOSSES,
  NORMALIZATIONS,
  OPTIMIZERS,
  SCHEDULES,
  SPLIT_METHODS,
  trainingConfigSchema,
  validateConfig,
  type ConfigValidation,
  type FieldErrors,
  type TrainingConfig,
} from '../core/config.ts';

/**
 * Hostile inputs for the property-based ("fuzz") tests of every parser that reads untrusted text
 * or values: configs (object, link, file), run records, run files and model files. Test-only;
 * nothing in the app imports it. Each `*.fuzz.test.ts` takes its run count from {@link FUZZ_RUNS}
 * so the total stays on record (and a test holds it at 10,000 or more).
 */

/** fast-check `numRuns` of every fuzz property, by file and property. */
export const FUZZ_RUNS = {
  config: { hostileValues: 2_000, mutatedConfigs: 3_000, validConfigs: 1_000, version1: 500 },
  urlCodec: { randomSearch: 800, encodedValues: 1_200 },
  configFile: { texts: 1_000 },
  runRecord: { mutatedRecords: 1_200 },
  runFile: { texts: 1_000 },
  modelFile: { texts: 1_000 },
} as const;

export const totalFuzzRuns = (): number =>
  Object.values(FUZZ_RUNS).reduce((sum, runs) => sum + Object.values(runs).reduce((a, b) => a + b, 0), 0);

/** What a script injected into a name or a link would try; the e2e test checks it never runs. */
export const SCRIPT = '<script>window.__pwned = 1</script>';

/** Keys that pollute `Object.prototype` when a parser copies them naively. */
export const POLLUTION_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
] as const;

/** A value nested `depth` levels deep, built without recursion. */
export function deepNest(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** The JSON text of {@link deepNest}, built without `JSON.stringify` (which would overflow). */
export function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}1${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** One megabyte of markup: long enough to find a missing length limit, built once. */
export const MEGABYTE_STRING = `${SCRIPT}${'A'.repeat(1 << 20)}`;

/** Shared, built once: `{"__proto__": {"polluted": true}, "constructor": {"prototype": …}}` as JSON.parse makes it. */
const POLLUTED_OBJECT: unknown = JSON.parse(
  '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "polluted": true}',
);

const DEEP_VALUES: readonly unknown[] = [
  deepNest(10_000, 'array'),
  deepNest(10_000, 'object'),
  deepNest(100_000, 'array'),
];

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    0,
    -1,
    0.5,
    1e308,
    -1e308,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    Number.EPSILON,
    Number.MAX_SAFE_INTEGER + 2,
    2 ** 32,
    2 ** 53,
    -(2 ** 31),
    1e-320,
  ),
  fc.double(),
  fc.integer(),
  fc.double({ min: -2, max: 2, noNaN: true }),
);

/** Every UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    SCRIPT,
    '"><img src=x onerror="window.__pwned=1">',
    // eslint-disable-next-line no-script-url -- hostile input, never navigated to
    'javascript:window.__pwned=1',
    '__proto__',
    'constructor',
    'NaN',
    'Infinity',
    '1e999',
    '0x10',
    '\u0000',
    '\ud800',
    '\u202e',
    'relu ',
    'ADAM',
    MEGABYTE_STRING,
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: codeUnit, maxLength: 40 }),
);

const hostileKey = fc.oneof(fc.constantFrom(...POLLUTION_KEYS), fc.string({ unit: 'binary', maxLength: 12 }));

/** Anything: special numbers and strings, BigInt, Map, Date, typed arrays, null prototypes, deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileNumber, weight: 3 },
  { arbitrary: hostileString, weight: 3 },
  { arbitrary: fc.constantFrom(null, undefined, true, false, [], {}, 1n, POLLUTED_OBJECT), weight: 2 },
  { arbitrary: fc.constantFrom(...DEEP_VALUES), weight: 1 },
  {
    arbitrary: fc.anything({
      key: hostileKey,
      maxDepth: 3,
      maxKeys: 5,
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
    }),
    weight: 3,
  },
);

/** Values JSON can carry (what a file or a link can hold), hostile ones included. */
export const hostileJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileNumber.map((n) => (Number.isFinite(n) ? n : String(n))), weight: 3 },
  { arbitrary: hostileString, weight: 3 },
  { arbitrary: fc.constantFrom(null, true, false, [], {}, POLLUTED_OBJECT), weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 3 },
);

/** JSON text of a value, including what JSON.stringify cannot write: 1e999, deep nesting. */
export const hostileJsonText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: hostileJsonValue.map((v) => JSON.stringify(v) ?? 'null'), weight: 6 },
  { arbitrary: fc.constantFrom('1e999', '-1e999', '-0', '1E400', '"\\ud800"', '"\\u0000"'), weight: 1 },
  {
    arbitrary: fc.constantFrom(
      deepJson(10_000, 'array'),
      deepJson(10_000, 'object'),
      deepJson(100_000, 'array'),
      JSON.stringify(MEGABYTE_STRING),
    ),
    weight: 1,
  },
);

type Path = readonly (string | number)[];

/** Every path to a value inside a JSON-like value (objects and arrays), the root included. */
export function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const paths: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((item, i) => paths.push(...pathsOf(item, [...prefix, i])));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, key]));
  }
  return paths;
}

type Container = Record<string | number, unknown>;

/** A deep copy of a JSON value with `path` replaced, removed, or given an extra key. */
export function mutate(
  base: unknown,
  path: Path,
  edit:
    | { kind: 'replace'; value: unknown }
    | { kind: 'delete' }
    | { kind: 'addKey'; key: string; value: unknown },
): unknown {
  const copy: unknown = JSON.parse(JSON.stringify(base));
  if (path.length === 0 && edit.kind === 'replace') return edit.value;
  let parent: unknown = copy;
  for (const key of path.slice(0, -1)) parent = (parent as Container)[key];
  const last = path[path.length - 1];
  const target = last === undefined ? copy : (parent as Container)[last];
  if (edit.kind === 'addKey') {
    if (typeof target === 'object' && target !== null) {
      // defineProperty, as JSON.parse does, so "__proto__" becomes an own key, not the prototype.
      Object.defineProperty(target, edit.key, {
        value: edit.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
  if (last === undefined) return copy;
  if (edit.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete (parent as Container)[last];
  } else (parent as Container)[last] = edit.value;
  return copy;
}

/** One random edit of `base`: a leaf or subtree replaced by `values`, a key removed, or an unknown key added. */
export function mutation(base: unknown, values: fc.Arbitrary<unknown> = hostileValue): fc.Arbitrary<unknown> {
  const paths = pathsOf(base);
  const path = fc.constantFrom(...paths);
  return fc.oneof(
    {
      arbitrary: fc.tuple(path, values).map(([p, value]) => mutate(base, p, { kind: 'replace', value })),
      weight: 6,
    },
    { arbitrary: path.map((p) => mutate(base, p, { kind: 'delete' })), weight: 1 },
    {
      arbitrary: fc
        .tuple(path, hostileKey, values)
        .map(([p, key, value]) => mutate(base, p, { kind: 'addKey', key, value })),
      weight: 2,
    },
  );
}

/** Text of JSON `base` with one value (at a random path) replaced by raw JSON text, or cut short. */
export function textMutation(base: unknown): fc.Arbitrary<string> {
  const HOLE = '\u0000hole\u0000';
  const paths = pathsOf(base).filter((p) => p.length > 0);
  const text = JSON.stringify(base);
  return fc.oneof(
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...paths), hostileJsonText)
        .map(([p, fragment]) =>
          JSON.stringify(mutate(base, p, { kind: 'replace', value: HOLE })).replace(
            JSON.stringify(HOLE),
            () => fragment,
          ),
        ),
      weight: 4,
    },
    { arbitrary: fc.nat(text.length).map((n) => text.slice(0, n)), weight: 1 },
    {
      arbitrary: fc
        .tuple(fc.nat(text.length), fc.string({ unit: 'binary', maxLength: 4 }))
        .map(([n, junk]) => `${text.slice(0, n)}${junk}${text.slice(n)}`),
      weight: 1,
    },
  );
}

const unit = (max: number) => fc.double({ min: 0, max, noNaN: true });

/** Configs drawn from the valid ranges (a few break the cross-field rules, which is fine). */
export const validConfigArb: fc.Arbitrary<TrainingConfig> = fc.record(
  {
    version: fc.constant(2 as const),
    name: fc.string({ maxLength: 120 }),
    seed: fc.tuple(fc.nat(0xffff), fc.nat(0xffff)).map(([hi, lo]) => hi * 0x10000 + lo),
    model: fc.record({
      hiddenLayers: fc.array(
        fc.record({
          units: fc.integer({ min: 1, max: 4096 }),
          activation: fc.constantFrom(...ACTIVATIONS),
          dropout: unit(0.9),
          batchNorm: fc.boolean(),
        }),
        { maxLength: 8 },
      ),
      inputDropout: unit(0.9),
      init: fc.constantFrom(...INITIALIZERS),
    }),
    loss: fc.record({
      kind: fc.constantFrom(...LOSSES),
      l2: unit(1),
      l1: unit(1),
      labelSmoothing: unit(0.5),
    }),
    optimizer: fc.record({
      kind: fc.constantFrom(...OPTIMIZERS),
      learningRate: fc.double({ min: 1e-6, max: 100, noNaN: true }),
      momentum: unit(0.999),
      nesterov: fc.boolean(),
      beta1: unit(0.9999),
      beta2: unit(0.99999),
      epsilon: fc.double({ min: 1e-12, max: 1, noNaN: true }),
      rho: unit(0.9999),
      weightDecay: unit(1),
    }),
    schedule: fc.record({
      kind: fc.constantFrom(...SCHEDULES),
      stepEpochs: fc.integer({ min: 1, max: 1000 }),
      gamma: unit(1),
      minLearningRate: unit(1e-6),
    }),
    training: fc.record({
      gradientDescent: fc.constantFrom(...GRADIENT_DESCENT),
      batchSize: fc.integer({ min: 1, max: 60_000 }),
      epochs: fc.integer({ min: 1, max: 1000 }),
    }),
    data: fc.record({
      normalization: fc.constantFrom(...NORMALIZATIONS),
      rotationDegrees: unit(45),
      cropPadding: fc.integer({ min: 0, max: 8 }),
      shiftPixels: fc.integer({ min: 0, max: 8 }),
      validationFraction: unit(0.5),
      splitMethod: fc.constantFrom(...SPLIT_METHODS),
      trainingExamples: fc.option(fc.integer({ min: 1, max: 30_000 }), { nil: null }),
      labelNoise: unit(0.9),
    }),
  },
  { requiredKeys: ['version', 'seed', 'model', 'loss', 'optimizer', 'schedule', 'training', 'data'] },
);

/** Own property names of Object.prototype now, to check after a run that nothing was added. */
export const prototypeKeys = (): string => Object.getOwnPropertyNames(Object.prototype).sort().join(',');

/** Throws unless `errors` holds at least one field, each with a non-empty message. */
export function assertFieldMessages(errors: FieldErrors): void {
  const entries = Object.entries(errors);
  if (entries.length === 0) throw new Error('invalid, but no message');
  for (const [field, message] of entries) {
    if (typeof field !== 'string' || field === '') throw new Error(`empty field name for "${message}"`);
    if (typeof message !== 'string' || message.trim() === '') throw new Error(`empty message for ${field}`);
  }
}

/**
 * Throws unless `result` is a config that validates again to itself (directly and after a JSON
 * round trip, as links and files carry it) or field-level messages.
 */
export function assertConfigOutcome(result: ConfigValidation): void {
  if (!result.ok) {
    assertFieldMessages(result.errors);
    return;
  }
  const text = JSON.stringify(result.config);
  if (!trainingConfigSchema.safeParse(result.config).success) throw new Error(`not valid again: ${text}`);
  for (const again of [validateConfig(result.config), validateConfig(JSON.parse(text))]) {
    if (!again.ok || JSON.stringify(again.config) !== text) throw new Error(`not idempotent: ${text}`);
  }
}
