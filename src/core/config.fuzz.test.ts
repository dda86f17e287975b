import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, migrateConfig, validateConfig } from './config.ts';
import {
  assertConfigOutcome,
  assertFieldMessages,
  deepNest,
  FUZZ_RUNS,
  hostileValue,
  MEGABYTE_STRING,
  mutation,
  pathsOf,
  prototypeKeys,
  SCRIPT,
  totalFuzzRuns,
  validConfigArb,
  mutate,
} from '../testing/hostileInputs.ts';

/**
 * Property: whatever it is given, `validateConfig` never throws and returns either a config that
 * validates again to itself or field-level messages; `migrateConfig` likewise never throws.
 */

const RUNS = FUZZ_RUNS.config;
const untouchedPrototype = prototypeKeys();

function check(input: unknown): void {
  const migrated = migrateConfig(input);
  if (!migrated.ok) assertFieldMessages(migrated.errors);
  assertConfigOutcome(validateConfig(input));
  if (prototypeKeys() !== untouchedPrototype) throw new Error('Object.prototype was changed');
}

describe('validateConfig and migrateConfig under hostile input', () => {
  it('are fuzzed with at least 10,000 inputs across all parsers', () => {
    expect(totalFuzzRuns()).toBeGreaterThanOrEqual(10_000);
  });

  it('never throw on arbitrary values', () => {
    fc.assert(fc.property(hostileValue, check), { numRuns: RUNS.hostileValues });
  });

  it('never throw on valid configs with one leaf replaced, removed or an unknown key added', () => {
    const mutated = fc.oneof(fc.constant(DEFAULT_CONFIG), validConfigArb).chain((base) => mutation(base));
    fc.assert(fc.property(mutated, check), { numRuns: RUNS.mutatedConfigs });
  });

  it('accept every config in the valid ranges, idempotently', () => {
    fc.assert(
      fc.property(validConfigArb, (config) => {
        const result = validateConfig(config);
        expect(result.ok ? 'ok' : result.errors).toBe('ok');
        assertConfigOutcome(result);
      }),
      { numRuns: RUNS.validConfigs },
    );
  });

  it('never throw on hostile version-1 configs', () => {
    const v1 = {
      version: 1,
      seed: 1,
      hiddenLayers: [{ units: 32 }],
      batchSize: 32,
      epochs: 1,
      validationFraction: 0.1,
      trainingExamples: null,
      optimizer: { learningRate: 0.01 },
    };
    expect(validateConfig(v1).ok).toBe(true);
    fc.assert(fc.property(mutation(v1), check), { numRuns: RUNS.version1 });
  });

  it('migrate version-1 layers an index at a time, whatever the array claims to be', () => {
    const layers = Object.assign([{ units: 3 }], { constructor: 5 });
    check({ version: 1, hiddenLayers: layers });
    const many = validateConfig({ version: 1, hiddenLayers: new Array(2 ** 32 - 1) });
    expect(many.ok ? null : many.errors['model.hiddenLayers']).toBe('At most 8 hidden layers');
  });

  it('survive 10,000 and 100,000 levels of nesting anywhere', () => {
    for (const depth of [10_000, 100_000]) {
      for (const kind of ['array', 'object'] as const) {
        const deep = deepNest(depth, kind);
        check(deep);
        check({ ...DEFAULT_CONFIG, version: deep });
        check({ version: 1, hiddenLayers: [deep], optimizer: deep, seed: deep });
        for (const path of pathsOf(DEFAULT_CONFIG))
          check(mutate(DEFAULT_CONFIG, path, { kind: 'replace', value: deep }));
      }
    }
  });

  it('describe a version that JSON.stringify throws on (BigInt, a cycle) instead of throwing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['version'] = cyclic;
    for (const version of [10n, cyclic, deepNest(10_000, 'array'), MEGABYTE_STRING]) {
      const result = validateConfig({ ...DEFAULT_CONFIG, version });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors['version']).toMatch(/^Unknown config version .{1,50}$/);
    }
  });

  it('refuse prototype-pollution keys and keep a script in the name as plain text', () => {
    const polluted = JSON.parse(
      `{"__proto__": {"polluted": 1}, ${JSON.stringify(DEFAULT_CONFIG).slice(1)}`,
    ) as unknown;
    expect(validateConfig(polluted)).toEqual({
      ok: false,
      errors: { '(config)': 'Unrecognized key: "__proto__"' },
    });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const named = validateConfig({ ...DEFAULT_CONFIG, name: SCRIPT });
    expect(named.ok && named.config.name).toBe(SCRIPT);
    const huge = validateConfig({ ...DEFAULT_CONFIG, name: MEGABYTE_STRING });
    expect(huge.ok ? null : huge.errors['name']).toBe('Name must be at most 120 characters');
  });
});
