import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from './config.ts';
import {
  assertConfigOutcome,
  deepJson,
  FUZZ_RUNS,
  hostileJsonText,
  hostileJsonValue,
  MEGABYTE_STRING,
  mutation,
  SCRIPT,
  textMutation,
} from '../testing/hostileInputs.ts';
import { encodeModelFile, MAX_MODEL_NAME_LENGTH, parseModelFile } from './modelFile.ts';
import { checkParameters } from './modelParameters.ts';
import { makeSavedModel } from '../testing/savedModelFixture.ts';

/**
 * Property: whatever a model file holds, `parseModelFile` never throws; it gives a model whose
 * config validates again and whose tensors fit it and are finite, or one non-empty message.
 */

/** A small network with batch norm, so every kind of tensor is in the file and a run is cheap. */
const config: TrainingConfig = {
  ...DEFAULT_CONFIG,
  model: {
    ...DEFAULT_CONFIG.model,
    hiddenLayers: [{ units: 3, activation: 'relu', dropout: 0, batchNorm: true }],
  },
};
const file: unknown = JSON.parse(encodeModelFile(makeSavedModel(config)));

/** A tensor's base64 with one character changed, or cut. */
const corruptData = fc
  .tuple(fc.nat(8), fc.nat(10_000), fc.constantFrom('A', '=', '!', '', '====', '\u00e9'))
  .map(([tensor, at, junk]) => {
    const copy = JSON.parse(JSON.stringify(file)) as { parameters: { data: string }[] };
    const target = copy.parameters[tensor % copy.parameters.length];
    if (target) {
      const i = at % (target.data.length + 1);
      target.data = `${target.data.slice(0, i)}${junk}${target.data.slice(i + 1)}`;
    }
    return JSON.stringify(copy);
  });

describe('parseModelFile under hostile files', () => {
  it('never throws on broken model files and junk', () => {
    const text = fc.oneof(
      textMutation(file),
      mutation(file, hostileJsonValue).map((v) => JSON.stringify(v) ?? ''),
      corruptData,
      hostileJsonText,
      fc.string({ unit: 'binary', maxLength: 100 }),
    );
    fc.assert(
      fc.property(text, (contents) => {
        const parsed = parseModelFile(contents);
        if (!parsed.ok) {
          if (parsed.error.trim() === '') throw new Error('empty message');
          return;
        }
        const { model } = parsed;
        assertConfigOutcome({ ok: true, config: model.config });
        expect(checkParameters(model.config.model, model.parameters)).toBeNull();
        expect(model.name.trim().length).toBeGreaterThan(0);
        expect(model.name.length).toBeLessThanOrEqual(MAX_MODEL_NAME_LENGTH);
      }),
      { numRuns: FUZZ_RUNS.modelFile.texts },
    );
  });

  it('reads its own file back, and refuses deep nesting and huge names with a message', () => {
    expect(parseModelFile(JSON.stringify(file)).ok).toBe(true);
    const named = (name: string) => JSON.stringify({ ...(file as object), name });
    const script = parseModelFile(named(SCRIPT));
    expect(script.ok && script.model.name).toBe(SCRIPT);
    expect(parseModelFile(named(MEGABYTE_STRING))).toMatchObject({ ok: false });
    const deepVersion = `{"format": "mlp-playground-model", "version": ${deepJson(10_000, 'array')}}`;
    expect(parseModelFile(deepVersion)).toEqual({
      ok: false,
      error: 'Unknown model file version a list; this page reads version 1.',
    });
  });
});
