import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config.ts';
import {
  assertConfigOutcome,
  assertFieldMessages,
  deepJson,
  FUZZ_RUNS,
  hostileJsonValue,
  hostileString,
  MEGABYTE_STRING,
  mutation,
  SCRIPT,
  textMutation,
  validConfigArb,
} from '../testing/hostileInputs.ts';
import { decodeConfigFromSearch, encodeConfigToSearch, MAX_CONFIG_PARAM_LENGTH } from './urlCodec.ts';

/**
 * Property: whatever the link holds, `decodeConfigFromSearch` never throws; it returns null only
 * when the link has no `config`, else a config that validates again to itself, or messages.
 */

const RUNS = FUZZ_RUNS.urlCodec;

function check(search: string): void {
  const decoded = decodeConfigFromSearch(search);
  if (decoded === null) {
    if (new URLSearchParams(search).has('config')) throw new Error('a config parameter was ignored');
    return;
  }
  if ('errors' in decoded) assertFieldMessages(decoded.errors);
  else assertConfigOutcome({ ok: true, config: decoded.config });
}

/** UTF-8 then base64url, as the codec writes links (lone surrogates become U+FFFD). */
function base64url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const base64urlChar = fc.constantFrom(...BASE64URL, '+', '/', '=', '%', '&', ' ', '\u00e9');

/** Other parameters a hand-edited link may carry, hostile values included. */
const otherParams = fc
  .array(
    fc.tuple(fc.constantFrom('backend', 'engine', 'lesson', 'view', 'present', 'config', 'x'), hostileString),
    { maxLength: 3 },
  )
  .map((pairs) =>
    pairs.map(([k, v]) => `&${new URLSearchParams([[k, v.slice(0, 200)]]).toString()}`).join(''),
  );

describe('decodeConfigFromSearch under hostile links', () => {
  it('never throws on random query strings', () => {
    const search = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.webQueryParameters().map((q) => `?${q}`),
      fc.string({ unit: base64urlChar, maxLength: 200 }).map((s) => `?config=${s}`),
      fc.base64String({ maxLength: 400 }).map((s) => `?config=${s}`),
      fc
        .tuple(fc.string({ unit: base64urlChar, maxLength: 60 }), otherParams)
        .map(([s, rest]) => `?config=${s}${rest}`),
      fc.constantFrom(
        `?config=${'A'.repeat(MAX_CONFIG_PARAM_LENGTH + 1)}`,
        `?x=${MEGABYTE_STRING}`,
        `?config=${encodeURIComponent(SCRIPT)}&backend=${encodeURIComponent(SCRIPT)}`,
        `?config=${base64url(deepJson(10_000, 'array'))}`,
        `?config=${base64url(deepJson(5_000, 'object'))}`,
        '?config=',
        '?config',
        'config=%',
        '?config=%E0%A4%A',
      ),
    );
    fc.assert(fc.property(search, check), { numRuns: RUNS.randomSearch });
  });

  it('never throws on hostile JSON, mutated configs and broken JSON text in base64url', () => {
    const text = fc.oneof(
      hostileJsonValue.map((v) => JSON.stringify(v) ?? 'null'),
      mutation(DEFAULT_CONFIG, hostileJsonValue).map((v) => JSON.stringify(v) ?? 'null'),
      validConfigArb
        .chain((config) => mutation(config, hostileJsonValue))
        .map((v) => JSON.stringify(v) ?? 'null'),
      textMutation(DEFAULT_CONFIG),
    );
    const search = fc
      .tuple(text, otherParams)
      .map(([json, rest]) => `?config=${base64url(json).slice(0, MAX_CONFIG_PARAM_LENGTH + 8)}${rest}`);
    fc.assert(fc.property(search, check), { numRuns: RUNS.encodedValues });
  });

  it('round-trips every valid config, keeping the other parameters', () => {
    fc.assert(
      fc.property(validConfigArb, (config) => {
        const search = encodeConfigToSearch(config, '?backend=wasm');
        expect(new URLSearchParams(search).get('backend')).toBe('wasm');
        const decoded = decodeConfigFromSearch(search);
        expect(decoded && 'config' in decoded ? JSON.stringify(decoded.config) : decoded).toBe(
          JSON.stringify(config),
        );
      }),
      { numRuns: 200 },
    );
  });
});
