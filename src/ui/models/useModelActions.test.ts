import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/config.ts';
import { exportedModel, modelBaseName } from './useModelActions.ts';

const answer = {
  type: 'model-export',
  runId: 'p',
  requestId: 7,
} as const;

describe('exportedModel', () => {
  it('is the weights the worker sent', () => {
    const model = {
      config: DEFAULT_CONFIG,
      normalization: { mean: 0, std: 1 },
      origin: { epoch: 1, step: 2 },
      parameters: [],
      testAccuracy: 0.9,
    };
    expect(exportedModel({ ...answer, model, error: null })).toBe(model);
  });

  it('throws the worker’s message when it had no model to send', () => {
    expect(() => exportedModel({ ...answer, model: null, error: 'There is no model' })).toThrow(
      'There is no model',
    );
    expect(() => exportedModel({ ...answer, model: null, error: null })).toThrow('The worker sent no model.');
  });
});

describe('modelBaseName', () => {
  it('keeps safe characters only', () => {
    expect(modelBaseName('e2e digits')).toBe('e2e-digits');
    expect(modelBaseName('///')).toBe('mlp-model');
  });
});
