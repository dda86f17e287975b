import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64.ts';
import { DEFAULT_CONFIG, type TrainingConfig } from './config.ts';
import {
  MAX_MODEL_FILE_BYTES,
  checkSavedModel,
  defaultModelName,
  encodeModelFile,
  parseModelFile,
  uniqueModelName,
} from './modelFile.ts';
import { checkParameters, parameterLayout, parametersFingerprint } from './modelParameters.ts';
import { SeededRandom } from './random.ts';
import { makeSavedModel } from '../testing/savedModelFixture.ts';

const withBatchNorm: TrainingConfig = {
  ...DEFAULT_CONFIG,
  model: {
    ...DEFAULT_CONFIG.model,
    hiddenLayers: [
      { units: 128, activation: 'relu', dropout: 0, batchNorm: true },
      { units: 64, activation: 'tanh', dropout: 0, batchNorm: false },
    ],
  },
};

const makeModel = (config: TrainingConfig = DEFAULT_CONFIG) => makeSavedModel(config);

/** The file as a JSON object, edited by `change`, back to text. */
function edited(change: (file: Record<string, unknown> & { parameters: Record<string, unknown>[] }) => void) {
  const file = JSON.parse(encodeModelFile(makeModel())) as Record<string, unknown> & {
    parameters: Record<string, unknown>[];
  };
  change(file);
  return JSON.stringify(file);
}

function errorOf(text: string): string {
  const parsed = parseModelFile(text);
  expect(parsed.ok).toBe(false);
  return parsed.ok ? '' : parsed.error;
}

const bits = (data: Float32Array) => [...new Uint32Array(data.buffer, data.byteOffset, data.length)];

describe('base64', () => {
  it('matches Node for every tail length and decodes back', () => {
    const rng = new SeededRandom(1);
    for (let length = 0; length < 20; length++) {
      const bytes = Uint8Array.from({ length }, () => rng.nextInt(256));
      const text = encodeBase64(bytes);
      expect(text).toBe(btoa(String.fromCharCode(...bytes)));
      expect(decodeBase64(text)).toEqual(bytes);
    }
  });

  it.each(['abc', 'ab$=', 'a=bc', '=AAA', 'AA=A'])('rejects %s', (text) => {
    expect(decodeBase64(text)).toBeNull();
  });
});

describe('model file', () => {
  it.each([
    ['without batch norm', DEFAULT_CONFIG],
    ['with batch norm', withBatchNorm],
  ])('round-trips %s bit for bit', (_, config) => {
    const model = makeModel(config);
    const special = model.parameters[1]?.data as Float32Array;
    special.set([-0, 1.4e-45, 3.4028234e38, -1e-38, 0.1]);
    const parsed = parseModelFile(encodeModelFile(model));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.model.parameters.map((p) => p.name)).toEqual(model.parameters.map((p) => p.name));
    parsed.model.parameters.forEach((p, i) => {
      expect(p.shape).toEqual(model.parameters[i]?.shape);
      expect(bits(p.data)).toEqual(bits(model.parameters[i]?.data as Float32Array));
    });
    expect(parametersFingerprint(parsed.model.parameters)).toBe(parametersFingerprint(model.parameters));
    expect({ ...parsed.model, parameters: [] }).toEqual({ ...model, parameters: [] });
  });

  it('lays out batch-norm tensors after the dense ones, as Mlp.state', () => {
    expect(parameterLayout(withBatchNorm.model).map((p) => `${p.name} ${p.shape.join('x')}`)).toEqual([
      'dense0.kernel 784x128',
      'dense0.bias 128',
      'dense1.kernel 128x64',
      'dense1.bias 64',
      'dense2.kernel 64x10',
      'dense2.bias 10',
      'bn0.gamma 128',
      'bn0.beta 128',
      'bn0.runningMean 128',
      'bn0.runningVar 128',
    ]);
  });

  it('rejects a tensor of the wrong shape, naming it and both shapes', () => {
    const text = edited((file) => {
      (file.parameters[2] as { shape: number[] }).shape = [128, 32];
    });
    expect(errorOf(text)).toBe('dense1.kernel should be 128×64 but is 128×32.');
  });

  it('rejects weights for another architecture than the config says', () => {
    const text = edited((file) => {
      (file['config'] as TrainingConfig).model.hiddenLayers[1]!.units = 32;
    });
    expect(errorOf(text)).toBe('dense1.kernel should be 128×32 but is 128×64.');
  });

  it('rejects missing, extra and misordered tensors', () => {
    expect(errorOf(edited((file) => void file.parameters.pop()))).toContain(
      'a 784-128-64-10 network has 6: dense2.bias is missing',
    );
    expect(errorOf(edited((file) => void file.parameters.push(file.parameters[0]!)))).toContain(
      'dense0.kernel is extra',
    );
    const swapped = edited((file) => {
      file.parameters.reverse();
    });
    expect(errorOf(swapped)).toBe('Tensor 1 should be dense0.kernel but is dense2.bias.');
  });

  it('rejects a newer version with the version numbers, and unknown versions', () => {
    expect(errorOf(edited((file) => void (file['version'] = 2)))).toBe(
      'This file was saved by a newer version (2); this page reads version 1.',
    );
    expect(errorOf(edited((file) => void (file['version'] = '1')))).toContain(
      'Unknown model file version "1"',
    );
    expect(errorOf(edited((file) => void delete file['version']))).toContain(
      'Unknown model file version missing',
    );
  });

  it('rejects truncated weights', () => {
    const text = edited((file) => {
      const tensor = file.parameters[4] as { data: string };
      tensor.data = tensor.data.slice(0, -8);
    });
    expect(errorOf(text)).toMatch(
      /^dense2\.kernel has 2,556 bytes but 64×10 float32 values need 2,560: the weights are truncated or corrupt\.$/,
    );
  });

  it('rejects a file cut short, as not JSON', () => {
    const text = encodeModelFile(makeModel());
    expect(errorOf(text.slice(0, text.length / 2))).toContain('not valid JSON');
  });

  it('rejects weights that are not base64', () => {
    const text = edited((file) => {
      (file.parameters[1] as { data: string }).data = '@@@@';
    });
    expect(errorOf(text)).toBe('dense0.bias: its data is not valid base64 (the file is corrupt).');
  });

  it('rejects NaN and infinite weights', () => {
    const model = makeModel();
    (model.parameters[3]?.data as Float32Array)[5] = Number.NaN;
    expect(errorOf(encodeModelFile(model))).toBe(
      'dense1.bias holds a value that is not finite (NaN) at index 5.',
    );
    (model.parameters[3]?.data as Float32Array)[5] = Number.POSITIVE_INFINITY;
    expect(errorOf(encodeModelFile(model))).toContain('(Infinity)');
  });

  it('rejects text that is not JSON, and JSON that is no object', () => {
    expect(errorOf('hello')).toContain('not valid JSON');
    expect(errorOf('[1, 2]')).toBe('This is not a model file: it holds no JSON object.');
  });

  it('rejects another format marker, and says so for a config file', () => {
    expect(errorOf(edited((file) => void (file['format'] = 'keras')))).toBe(
      'This is not a model file of this playground: its format should be "mlp-playground-model".',
    );
    expect(errorOf(JSON.stringify(DEFAULT_CONFIG))).toBe(
      'This is a config file, not a model file: import it with Import config.',
    );
  });

  it('rejects an invalid config with the field and its message', () => {
    const text = edited((file) => {
      (file['config'] as TrainingConfig).model.hiddenLayers[0]!.units = 0;
    });
    expect(errorOf(text)).toBe(
      'Its config is invalid: model.hiddenLayers.0.units: Units must be at least 1.',
    );
  });

  it('rejects invalid fields with their path', () => {
    expect(errorOf(edited((file) => void (file['normalization'] = { mean: 0, std: 0 })))).toBe(
      'The model file is invalid: normalization.std: must be greater than 0.',
    );
    expect(errorOf(edited((file) => void (file['name'] = '  ')))).toBe(
      'The model file is invalid: name: must not be empty.',
    );
    expect(errorOf(edited((file) => void (file['testAccuracy'] = 1.5)))).toContain('testAccuracy');
  });

  it('rejects a file over 100 MB before parsing it', () => {
    expect(errorOf(' '.repeat(MAX_MODEL_FILE_BYTES + 1))).toContain('too large');
  });
});

describe('stored models and names', () => {
  it('checks typed-array weights against the config', () => {
    const { parameters, ...info } = makeModel();
    expect(checkSavedModel(info, parameters).ok).toBe(true);
    const short = parameters.map((p, i) => (i === 0 ? { ...p, data: p.data.subarray(1) } : p));
    const result = checkSavedModel(info, short);
    expect(result.ok ? '' : result.error).toBe(
      'dense0.kernel has 100,351 values but 784×128 needs 100,352: the weights are truncated or corrupt',
    );
    expect(checkParameters(withBatchNorm.model, parameters)).toContain('has 10: bn0.gamma is missing');
  });

  it('names a model after its config, or describes it', () => {
    expect(defaultModelName({ ...DEFAULT_CONFIG, name: ' My net ' }, 0.9)).toBe('My net');
    expect(defaultModelName(DEFAULT_CONFIG, 0.97312)).toBe('784-128-64-10 adam, 97.3%');
    expect(defaultModelName(DEFAULT_CONFIG, null)).toBe('784-128-64-10 adam');
  });

  it('numbers a name that is taken', () => {
    expect(uniqueModelName('a', ['b'])).toBe('a');
    expect(uniqueModelName('a', ['a', 'a (2)'])).toBe('a (3)');
  });
});
