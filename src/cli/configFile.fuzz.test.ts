import fc from 'fast-check';
import { describe, it } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config.ts';
import {
  assertConfigOutcome,
  FUZZ_RUNS,
  hostileJsonText,
  hostileJsonValue,
  MEGABYTE_STRING,
  mutation,
  textMutation,
  validConfigArb,
} from '../testing/hostileInputs.ts';
import { loadConfigFile } from './configFile.ts';

/**
 * Property: whatever a config file holds, loading it never throws and gives either a config that
 * validates again to itself or a one-line message (with one line per invalid field). The page's
 * Import config runs the same `JSON.parse` then `validateConfig` after its own size check.
 */
describe('loadConfigFile under hostile files', () => {
  it('never throws, and always explains itself', () => {
    const text = fc.oneof(
      textMutation(DEFAULT_CONFIG),
      hostileJsonText,
      mutation(DEFAULT_CONFIG, hostileJsonValue).map((v) => JSON.stringify(v) ?? ''),
      validConfigArb.map((config) => JSON.stringify(config, null, 2)),
      fc.string({ unit: 'binary', maxLength: 100 }),
      fc.constantFrom(
        '',
        '\ufeff{}',
        '\u001b[2J\u001b[31mred',
        '\u0085\u2028',
        '{"\u001b[2J": 1}',
        MEGABYTE_STRING,
        JSON.stringify({ ...DEFAULT_CONFIG, name: MEGABYTE_STRING }),
      ),
    );
    fc.assert(
      fc.property(text, (contents) => {
        const result = loadConfigFile('config.json', () => contents);
        if (result.ok) return assertConfigOutcome(result);
        // One line each, with nothing from the file that a terminal would act on (ESC, CR, NUL).
        // eslint-disable-next-line no-control-regex -- finding control characters is the point
        const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
        if (result.message.trim() === '' || CONTROL.test(result.message)) throw new Error(result.message);
        for (const line of result.details) {
          if (!/^\S.*: \S/.test(line) || CONTROL.test(line)) throw new Error(`bad detail "${line}"`);
        }
      }),
      { numRuns: FUZZ_RUNS.configFile.texts },
    );
  });
});
