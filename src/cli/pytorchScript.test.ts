import fc from 'fast-check';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ACTIVATIONS,
  DEFAULT_CONFIG,
  GRADIENT_DESCENT,
  INITIALIZERS,
  LOSSES,
  OPTIMIZERS,
  SCHEDULES,
  layerSizes,
  validateConfig,
  type TrainingConfig,
} from '../core/config.ts';
import { SeededRandom } from '../core/random.ts';
import { PYTHON, runPython } from './pythonForTests.ts';
import { validConfigArb } from '../testing/hostileInputs.ts';
import { makeSavedModel } from '../testing/savedModelFixture.ts';
import {
  exportPytorchScriptForModel,
  pytorchScript,
  pytorchScriptFileName,
} from '../core/export/pytorchScript.ts';
import { pythonString } from '../core/export/pythonLiterals.ts';
import { PYTHON_LABEL_NOISE, PYTHON_PLAYGROUND_RANDOM } from '../core/export/pytorchScriptParts.ts';
import { withLabelNoise } from '../core/labelNoise.ts';
import { runStreams } from '../core/runStreams.ts';

const CONFIG_DIR = join(import.meta.dirname, '..', '..', 'configs');
const PRESETS: [string, TrainingConfig][] = [
  ['default', DEFAULT_CONFIG],
  ...readdirSync(CONFIG_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file): [string, TrainingConfig] => {
      const result = validateConfig(JSON.parse(readFileSync(join(CONFIG_DIR, file), 'utf8')));
      if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.errors)}`);
      return [file, result.config];
    }),
];

const withModel = (model: Partial<TrainingConfig['model']>): TrainingConfig => ({
  ...DEFAULT_CONFIG,
  model: { ...DEFAULT_CONFIG.model, ...model },
});

const pythonMissing = PYTHON === null ? 'no Python 3.8+ found (python3, /usr/bin/python3, $PYTHON)' : null;
if (pythonMissing !== null) console.warn(`pytorchScript.test: skipping the Python checks: ${pythonMissing}`);

/** Writes `scripts` into a fresh folder and compiles them all in one Python process. */
function compileAll(scripts: readonly string[]): string[] {
  const folder = mkdtempSync(join(tmpdir(), 'pytorch-script-'));
  const paths = scripts.map((script, i) => {
    const path = join(folder, `script_${i}.py`);
    writeFileSync(path, script);
    return path;
  });
  runPython(
    PYTHON ?? 'python3',
    `import py_compile\nfor p in ${JSON.stringify(paths)}: py_compile.compile(p, doraise=True)`,
  );
  return paths;
}

describe('pytorchScript for every preset', () => {
  it.each(PRESETS)('%s: the model, optimizer, constants and the config for the record', (_, config) => {
    const script = pytorchScript(config);
    const sizes = layerSizes(config);
    expect(script.match(/nn\.Linear\(/g)).toHaveLength(sizes.length - 1);
    sizes.slice(1).forEach((units, i) => expect(script).toContain(`nn.Linear(${sizes[i]}, ${units})`));
    expect(script).toContain(`SEED = ${config.seed}\n`);
    expect(script).toContain(`EPOCHS = ${config.training.epochs}\n`);
    expect(script).toContain(`LEARNING_RATE = ${config.optimizer.learningRate}\n`);
    expect(script).toContain(`NORMALIZATION = "${config.data.normalization}"`);
    expect(script).toContain(`SPLIT_METHOD = "${config.data.splitMethod}"`);
    expect(script).toContain(`VALIDATION_FRACTION = ${config.data.validationFraction}\n`);
    expect(script).toContain(`ROTATION_DEGREES = ${config.data.rotationDegrees}\n`);
    expect(script).toContain(`CROP_PADDING = ${config.data.cropPadding}\n`);
    expect(script).toContain(`LABEL_NOISE = ${config.data.labelNoise}  # share of training labels`);
    expect(script).toContain('def main():');
    expect(script).toContain('test accuracy, final weights');
    const recorded = /^PLAYGROUND_CONFIG = '(.*)'$/m.exec(script)?.[1] ?? '';
    expect(
      JSON.parse(
        recorded.replace(/\\u([0-9a-f]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      ),
    ).toEqual(config);
  });

  it('the two notebook presets start from nn.Linear defaults; the others draw their own', () => {
    const byFile = new Map(PRESETS);
    const notebook = pytorchScript(byFile.get('mlp-784-250-100-10-adam.json') ?? DEFAULT_CONFIG);
    expect(notebook).toContain("nn.Linear's own default is the config's");
    expect(notebook).not.toContain('nn.init.');
    expect(pytorchScript(DEFAULT_CONFIG)).toContain(
      'nn.init.normal_(layer.weight, std=math.sqrt(2 / layer.in_features))',
    );
  });

  it.skipIf(pythonMissing !== null)('compiles with py_compile (every preset)', () => {
    expect(compileAll(PRESETS.map(([, config]) => pytorchScript(config)))).toHaveLength(PRESETS.length);
  });
});

describe('pytorchScript maps every choice', () => {
  const ACTIVATION_MODULES: Record<(typeof ACTIVATIONS)[number], string | null> = {
    relu: 'nn.ReLU()',
    leakyRelu: 'nn.LeakyReLU(0.01)',
    elu: 'nn.ELU()',
    gelu: 'nn.GELU(approximate="tanh")',
    selu: 'nn.SELU()',
    sigmoid: 'nn.Sigmoid()',
    tanh: 'nn.Tanh()',
    linear: null,
  };
  it.each(ACTIVATIONS)('%s hidden layers', (activation) => {
    const script = pytorchScript(
      withModel({
        hiddenLayers: [{ units: 20, activation, dropout: 0.25, batchNorm: true }],
        inputDropout: 0.1,
      }),
    );
    const expected = ACTIVATION_MODULES[activation];
    const modules = [
      'nn.Dropout(0.1)',
      'nn.Linear(784, 20)',
      'PlaygroundBatchNorm1d(20)',
      ...(expected ? [expected] : []),
      'nn.Dropout(0.25)',
      'nn.Linear(20, 10)',
    ];
    expect(script).toContain(modules.map((m) => `        ${m},\n`).join(''));
    expect(script).toContain('class PlaygroundBatchNorm1d(nn.BatchNorm1d):');
  });

  const INIT_TEXT: Record<(typeof INITIALIZERS)[number], string> = {
    pytorch: "nn.Linear's own default",
    he: 'std=math.sqrt(2 / layer.in_features)',
    glorot: 'nn.init.xavier_normal_(layer.weight)',
    smallNormal: 'nn.init.normal_(layer.weight, std=0.01)',
  };
  it.each(INITIALIZERS)('%s initialisation', (init) => {
    expect(pytorchScript(withModel({ init }))).toContain(INIT_TEXT[init]);
  });

  const LOSS_TEXT: Record<(typeof LOSSES)[number], string> = {
    crossEntropy: 'F.cross_entropy(logits, targets, label_smoothing=0.1)',
    mse: 'onehot = onehot * (1 - 0.1) + 0.1 / 10',
    hinge: 'F.multi_margin_loss(logits, targets)',
  };
  it.each(LOSSES)('%s loss with label smoothing 0.1, L1 and L2', (kind) => {
    const script = pytorchScript({
      ...DEFAULT_CONFIG,
      loss: { kind, labelSmoothing: 0.1, l1: 1e-5, l2: 0.0001 },
    });
    expect(script).toContain(LOSS_TEXT[kind]);
    expect(script).toContain(
      'return 0.0001 * sum((w * w).sum() for w in kernels) + 0.00001 * sum(w.abs().sum() for w in kernels)',
    );
  });

  const OPTIMIZER_TEXT: Record<(typeof OPTIMIZERS)[number], string> = {
    sgd: 'torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)',
    momentum: 'torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=0.9, nesterov=False)',
    adam: 'torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8)',
    adamw: 'torch.optim.AdamW(groups, lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8)',
    rmsprop: 'torch.optim.RMSprop(model.parameters(), lr=LEARNING_RATE, alpha=0.9, eps=1e-8)',
    adagrad: 'torch.optim.Adagrad(model.parameters(), lr=LEARNING_RATE, initial_accumulator_value=1e-8)',
  };
  it.each(OPTIMIZERS)('%s optimizer', (kind) => {
    const script = pytorchScript({ ...DEFAULT_CONFIG, optimizer: { ...DEFAULT_CONFIG.optimizer, kind } });
    expect(script).toContain(OPTIMIZER_TEXT[kind]);
    if (kind === 'adamw') expect(script).toContain('{"params": kernels, "weight_decay": 0.01}');
  });

  const SCHEDULE_TEXT: Record<(typeof SCHEDULES)[number], string> = {
    constant: 'return LEARNING_RATE\n',
    step: 'return LEARNING_RATE * 0.5 ** ((epoch - 1) // 2)',
    cosine: 'return 0 + (LEARNING_RATE - 0) * (1 + math.cos(math.pi * t / epochs)) / 2',
  };
  it.each(SCHEDULES)('%s schedule', (kind) => {
    expect(pytorchScript({ ...DEFAULT_CONFIG, schedule: { ...DEFAULT_CONFIG.schedule, kind } })).toContain(
      SCHEDULE_TEXT[kind],
    );
  });

  const BATCH_TEXT: Record<(typeof GRADIENT_DESCENT)[number], string> = {
    stochastic: 'BATCH_SIZE = 1 ',
    miniBatch: 'BATCH_SIZE = 128 ',
    fullBatch: 'BATCH_SIZE = None ',
  };
  it.each(GRADIENT_DESCENT)('%s gradient descent', (gradientDescent) => {
    const config = { ...DEFAULT_CONFIG, training: { ...DEFAULT_CONFIG.training, gradientDescent } };
    expect(pytorchScript(config)).toContain(BATCH_TEXT[gradientDescent]);
  });

  it('a subset and the first-rows split', () => {
    const script = pytorchScript({
      ...DEFAULT_CONFIG,
      data: { ...DEFAULT_CONFIG.data, splitMethod: 'first', trainingExamples: 10_000 },
    });
    expect(script).toContain('SPLIT_METHOD = "first"');
    expect(script).toContain('TRAINING_EXAMPLES = 10000 ');
  });
});

/** Names a config may carry: quotes, backslashes, line breaks, non-ASCII, astral characters. */
const AWKWARD_NAMES = [
  'say "hi"',
  'it\'s "both"',
  'back\\slash',
  'line\nbreak\r',
  '±10° √',
  '😀',
  '\u2028\u0000',
];

describe('names', () => {
  it('writes any text as an ASCII Python string literal on one line', () => {
    for (const text of [...AWKWARD_NAMES, 'plain', '\ud800']) {
      expect(pythonString(text)).toMatch(/^["'][\x20-\x7e]*["']$/);
    }
  });

  it.skipIf(pythonMissing !== null)('Python reads the literals back (lone surrogates as U+FFFD)', () => {
    const literals = [...AWKWARD_NAMES, 'a\ud800b'].map(pythonString);
    const code = `import ast, json\nprint(json.dumps([ast.literal_eval(s) for s in ${JSON.stringify(literals)}]))`;
    const read = JSON.parse(runPython(PYTHON ?? 'python3', code)) as string[];
    expect(read).toEqual([...AWKWARD_NAMES, 'a\ufffdb']);
  });

  it.skipIf(pythonMissing !== null)('compiles for random valid configs with hostile names', () => {
    const configs = fc.sample(validConfigArb, { numRuns: 60, seed: 17 });
    expect(compileAll(configs.map((config) => pytorchScript(config)))).toHaveLength(60);
  });

  it('file names keep letters, digits, _ . -', () => {
    expect(pytorchScriptFileName('digits-97')).toBe('digits-97.py');
    expect(pytorchScriptFileName('../My model!')).toBe('My-model.py');
    expect(pytorchScriptFileName('')).toBe('train_mnist.py');
  });

  it('exports a saved model as its config’s script', async () => {
    const model = makeSavedModel();
    const files = await exportPytorchScriptForModel(model, 'digits-97');
    expect(files).toEqual([
      {
        name: 'digits-97.py',
        mimeType: 'text/x-python',
        contents: pytorchScript(model.config, 'digits-97.py'),
      },
    ]);
  });
});

describe.skipIf(pythonMissing !== null)('the ported generator', () => {
  it('draws the playground’s permutations, so the split is the same rows', () => {
    const seeds = [0, 42, 0x5eed5 ^ 42, 0xffffffff];
    const code = `${PYTHON_PLAYGROUND_RANDOM}\nimport json\nprint(json.dumps([PlaygroundRandom(s).permutation(1000) for s in ${JSON.stringify(seeds)}]))`;
    const fromPython = JSON.parse(runPython(PYTHON ?? 'python3', code)) as number[][];
    seeds.forEach((seed, i) =>
      expect(fromPython[i]).toEqual(Array.from(new SeededRandom(seed).permutation(1000))),
    );
  });

  it('replaces the playground’s very training labels (label noise)', () => {
    const labels = Uint8Array.from({ length: 3000 }, (_, i) => (i * 3) % 10);
    const rows = new SeededRandom(9).permutation(3000).slice(500, 2500);
    const cases = [
      { share: 0.3, seed: 42 },
      { share: 0.9, seed: 0xffffffff },
      { share: 0, seed: 1 },
    ];
    // A list stands in for the tensor (the script calls only tolist, clone and item assignment).
    const code = [
      'import json, math',
      PYTHON_PLAYGROUND_RANDOM,
      PYTHON_LABEL_NOISE.replace('def noisy_labels(', 'def noisy_labels_at(LABEL_NOISE, '),
      'class Labels(list):',
      '    def tolist(self): return list(self)',
      '    def clone(self): return Labels(self)',
      `labels = Labels(${JSON.stringify(Array.from(labels))})`,
      `rows = ${JSON.stringify(Array.from(rows))}`,
      `print(json.dumps([list(noisy_labels_at(c["share"], labels, rows, c["seed"])) for c in ${JSON.stringify(cases)}]))`,
    ].join('\n');
    const fromPython = JSON.parse(runPython(PYTHON ?? 'python3', code)) as number[][];
    cases.forEach(({ share, seed }, i) =>
      expect(fromPython[i]).toEqual(
        Array.from(withLabelNoise(labels, rows, share, runStreams(seed).labelNoise)),
      ),
    );
  });
});
