import {
  CONFIG_VERSION,
  MNIST_TEST_COUNT,
  MNIST_TRAIN_COUNT,
  layerSizes,
  type Activation,
  type TrainingConfig,
} from '../config.ts';
import type { ExportedFile, ModelExporter } from './exportedFile.ts';
import { pyNumber, pythonString } from './pythonLiterals.ts';
import {
  PYTHON_AUGMENTATION,
  PYTHON_BATCH_NORM,
  PYTHON_LABEL_NOISE,
  PYTHON_MAIN,
  PYTHON_MNIST,
  PYTHON_NORMALIZATION,
  PYTHON_PLAYGROUND_RANDOM,
  PYTHON_SPLIT,
} from './pytorchScriptParts.ts';

/**
 * **Export as PyTorch**: one self-contained Python script that trains a config again in
 * PyTorch, for people moving on from the playground to the notebooks' own tools. It reproduces
 * the model (`nn.Sequential`), the initialisation rule, loss (label smoothing, MSE on softmax
 * probabilities, multi-class hinge), L1/L2 on the kernels, the optimizer and its
 * hyperparameters, the schedule (set per step), the batch size, epochs, normalisation (statistics
 * of the training split), augmentation, and the very validation split, training subset and
 * label noise (the playground's generator is ported). PyTorch's own generator, seeded with the config's seed,
 * draws the weights, batch order, dropout masks and augmentation, so a run matches the page's in
 * distribution, not digit for digit. It prints each epoch's training and validation loss and
 * accuracy and the test accuracy of the final and best-by-validation-accuracy weights (as the
 * playground picks its best epoch).
 */

/** The script's media type, for the download. */
export const PYTHON_MIME_TYPE = 'text/x-python';

/** The activation's module, or null for `linear` (no module at all). */
function activationModule(activation: Activation): string | null {
  switch (activation) {
    case 'relu':
      return 'nn.ReLU()';
    case 'leakyRelu':
      return 'nn.LeakyReLU(0.01)';
    case 'elu':
      return 'nn.ELU()';
    case 'gelu':
      return 'nn.GELU(approximate="tanh")';
    case 'selu':
      return 'nn.SELU()';
    case 'sigmoid':
      return 'nn.Sigmoid()';
    case 'tanh':
      return 'nn.Tanh()';
    case 'linear':
      return null;
    default: {
      const unknown: never = activation;
      throw new Error(`Unknown activation ${String(unknown)}`);
    }
  }
}

/** Statements after `model = nn.Sequential(…)` that draw the config's initial weights. */
function initLines(init: TrainingConfig['model']['init']): string[] {
  const linearLoop = (comment: string, draw: string) => [
    `    for layer in model:  # ${comment}`,
    '        if isinstance(layer, nn.Linear):',
    `            ${draw}`,
    '            nn.init.zeros_(layer.bias)',
  ];
  switch (init) {
    case 'pytorch':
      return ["    # nn.Linear's own default is the config's: weights and biases U(±1/√fan_in)."];
    case 'he':
      return linearLoop(
        'He (Kaiming) normal: N(0, 2/fan_in), biases 0',
        'nn.init.normal_(layer.weight, std=math.sqrt(2 / layer.in_features))',
      );
    case 'glorot':
      return linearLoop(
        'Glorot (Xavier) normal: N(0, 2/(fan_in + fan_out)), biases 0',
        'nn.init.xavier_normal_(layer.weight)',
      );
    case 'smallNormal':
      return linearLoop('small normal: N(0, 0.01²), biases 0', 'nn.init.normal_(layer.weight, std=0.01)');
    default: {
      const unknown: never = init;
      throw new Error(`Unknown initialisation ${String(unknown)}`);
    }
  }
}

function modelSection(config: TrainingConfig): string {
  const { hiddenLayers, inputDropout, init } = config.model;
  const sizes = layerSizes(config);
  const modules: string[] = [];
  if (inputDropout > 0) modules.push(`nn.Dropout(${pyNumber(inputDropout)})`);
  hiddenLayers.forEach((layer, i) => {
    modules.push(`nn.Linear(${sizes[i] ?? 0}, ${layer.units})`);
    if (layer.batchNorm) modules.push(`PlaygroundBatchNorm1d(${layer.units})`);
    const activation = activationModule(layer.activation);
    if (activation !== null) modules.push(activation);
    if (layer.dropout > 0) modules.push(`nn.Dropout(${pyNumber(layer.dropout)})`);
  });
  modules.push(`nn.Linear(${sizes[sizes.length - 2] ?? 0}, ${sizes[sizes.length - 1] ?? 0})`);
  return [
    'def build_model():',
    `    """${sizes.join('-')}: Linear → [BatchNorm1d] → activation → [Dropout] per hidden layer, then`,
    '    linear logits (softmax belongs to the loss)."""',
    '    model = nn.Sequential(',
    ...modules.map((module) => `        ${module},`),
    '    )',
    ...initLines(init),
    '    return model',
    '',
    '',
  ].join('\n');
}

function lossSection(loss: TrainingConfig['loss']): string {
  const smoothing = loss.labelSmoothing;
  let body: string[];
  switch (loss.kind) {
    case 'crossEntropy':
      body = [
        `    """Cross-entropy${smoothing > 0 ? ` with label smoothing ${pyNumber(smoothing)}` : ''}, the batch mean."""`,
        `    return F.cross_entropy(logits, targets${smoothing > 0 ? `, label_smoothing=${pyNumber(smoothing)}` : ''})`,
      ];
      break;
    case 'mse':
      body = [
        '    """Mean squared error of the softmax probabilities against one-hot targets' +
          (smoothing > 0
            ? ` smoothed to (1 − ${pyNumber(smoothing)})·onehot + ${pyNumber(smoothing)}/10`
            : '') +
          ', over all B·10 values."""',
        '    onehot = F.one_hot(targets, 10).float()',
        ...(smoothing > 0
          ? [`    onehot = onehot * (1 - ${pyNumber(smoothing)}) + ${pyNumber(smoothing)} / 10`]
          : []),
        '    return F.mse_loss(F.softmax(logits, dim=1), onehot)',
      ];
      break;
    case 'hinge':
      body = [
        '    """Multi-class hinge (Weston–Watkins, margin 1): Σ_{j≠y} max(0, 1 − x_y + x_j) / 10, batch mean."""',
        '    return F.multi_margin_loss(logits, targets)',
      ];
      break;
    default: {
      const unknown: never = loss.kind;
      throw new Error(`Unknown loss ${String(unknown)}`);
    }
  }
  const terms = [
    ...(loss.l2 > 0 ? [`${pyNumber(loss.l2)} * sum((w * w).sum() for w in kernels)`] : []),
    ...(loss.l1 > 0 ? [`${pyNumber(loss.l1)} * sum(w.abs().sum() for w in kernels)`] : []),
  ];
  const penalty =
    terms.length === 0
      ? ['    """No L1 or L2 penalty in this config."""', '    return 0.0']
      : [
          '    """L2 · Σw² + L1 · Σ|w| over the Linear weights (not biases or batch norm), for the gradient',
          '    only: the printed losses are the data loss."""',
          '    kernels = [layer.weight for layer in model if isinstance(layer, nn.Linear)]',
          `    return ${terms.join(' + ')}`,
        ];
  return [
    'def data_loss(logits, targets):',
    ...body,
    '',
    '',
    'def weight_penalty(model):',
    ...penalty,
    '',
    '',
  ].join('\n');
}

function optimizerSection(optimizer: TrainingConfig['optimizer']): string {
  const adamArgs = `lr=LEARNING_RATE, betas=(${pyNumber(optimizer.beta1)}, ${pyNumber(optimizer.beta2)}), eps=${pyNumber(optimizer.epsilon)}`;
  let body: string[];
  switch (optimizer.kind) {
    case 'sgd':
      body = ['    return torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)'];
      break;
    case 'momentum':
      body = [
        `    return torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=${pyNumber(optimizer.momentum)}, nesterov=${optimizer.nesterov ? 'True' : 'False'})`,
      ];
      break;
    case 'adam':
      body = [`    return torch.optim.Adam(model.parameters(), ${adamArgs})`];
      break;
    case 'adamw':
      body = [
        '    # Decoupled weight decay on the Linear weights only, as the playground decays them.',
        '    kernels = [layer.weight for layer in model if isinstance(layer, nn.Linear)]',
        '    others = [p for p in model.parameters() if all(p is not k for k in kernels)]',
        '    groups = [',
        `        {"params": kernels, "weight_decay": ${pyNumber(optimizer.weightDecay)}},`,
        '        {"params": others, "weight_decay": 0.0},',
        '    ]',
        `    return torch.optim.AdamW(groups, ${adamArgs})`,
      ];
      break;
    case 'rmsprop':
      body = [
        '    # The playground (TF.js) adds ε under the square root, PyTorch after it: alike at small ε.',
        `    return torch.optim.RMSprop(model.parameters(), lr=LEARNING_RATE, alpha=${pyNumber(optimizer.rho)}, eps=${pyNumber(optimizer.epsilon)})`,
      ];
      break;
    case 'adagrad':
      body = [
        "    # The config's ε is the playground's initial accumulator (TF.js adds 1e-7 under the root).",
        `    return torch.optim.Adagrad(model.parameters(), lr=LEARNING_RATE, initial_accumulator_value=${pyNumber(optimizer.epsilon)})`,
      ];
      break;
    default: {
      const unknown: never = optimizer.kind;
      throw new Error(`Unknown optimizer ${String(unknown)}`);
    }
  }
  return ['def build_optimizer(model):', ...body, '', ''].join('\n');
}

function scheduleSection(schedule: TrainingConfig['schedule']): string {
  let body: string[];
  switch (schedule.kind) {
    case 'constant':
      body = ['    """Constant."""', '    return LEARNING_RATE'];
      break;
    case 'step':
      body = [
        `    """Step decay: × ${pyNumber(schedule.gamma)} every ${schedule.stepEpochs} epochs (StepLR stepped once an epoch)."""`,
        `    return LEARNING_RATE * ${pyNumber(schedule.gamma)} ** ((epoch - 1) // ${schedule.stepEpochs})`,
      ];
      break;
    case 'cosine':
      body = [
        `    """Cosine annealing to ${pyNumber(schedule.minLearningRate)} over all epochs, set per step (CosineAnnealingLR with T_max in steps)."""`,
        '    t = min(max(0.0, epoch - 1 + fraction), epochs)',
        `    return ${pyNumber(schedule.minLearningRate)} + (LEARNING_RATE - ${pyNumber(schedule.minLearningRate)}) * (1 + math.cos(math.pi * t / epochs)) / 2`,
      ];
      break;
    default: {
      const unknown: never = schedule.kind;
      throw new Error(`Unknown schedule ${String(unknown)}`);
    }
  }
  return [
    'def learning_rate_at(epoch, fraction, epochs):',
    ...body.slice(0, 1),
    '    # epoch counts from 1; fraction is how far into the epoch the step is, in [0, 1).',
    ...body.slice(1),
    '',
    '',
  ].join('\n');
}

/** `BATCH_SIZE` and its comment: the config's gradient-descent kind as a batch size. */
function batchSizeLine(training: TrainingConfig['training']): string {
  switch (training.gradientDescent) {
    case 'stochastic':
      return 'BATCH_SIZE = 1  # stochastic gradient descent: one example a step';
    case 'fullBatch':
      return 'BATCH_SIZE = None  # full batch: every training example in one step';
    case 'miniBatch':
      return `BATCH_SIZE = ${training.batchSize}  # mini-batch (fewer when the training split is smaller)`;
    default: {
      const unknown: never = training.gradientDescent;
      throw new Error(`Unknown gradient descent ${String(unknown)}`);
    }
  }
}

function headerSection(config: TrainingConfig, fileName: string): string {
  const { data } = config;
  return [
    '#!/usr/bin/env python3',
    '"""The MNIST MLP playground\'s config, trained again in PyTorch (written by its Export as PyTorch).',
    '',
    `Run:  python3 ${fileName} PATH/TO/MNIST [--epochs N] [--subset N] [--seed N] [--device cpu|cuda]`,
    'PATH/TO/MNIST holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and',
    't10k-labels-idx1-ubyte, each raw or gzipped (.gz). Needs Python 3.8+ and PyTorch 1.12+.',
    '',
    'As in the playground: the model, initialisation rule, loss, penalties, optimizer and its',
    'hyperparameters, schedule, batch size, epochs, input normalisation (statistics of the training',
    'split), augmentation, and the very validation split, training subset and noisy labels (the',
    "playground's generator is ported below). PyTorch's generator, seeded with the same seed, draws the initial",
    "weights, batch order, dropout masks and augmentation, so a run matches the playground's in",
    'distribution, not digit for digit. The best weights are those of the epoch with the highest',
    'validation accuracy (the first such epoch), as the playground picks them.',
    '"""',
    'import argparse',
    'import copy',
    'import gzip',
    'import math',
    'import os',
    'import sys',
    'import time',
    '',
    'import torch',
    'import torch.nn.functional as F',
    'from torch import nn',
    '',
    `CONFIG_NAME = ${pythonString(config.name ?? 'MNIST MLP')}`,
    `# The config this script was written from (playground config version ${CONFIG_VERSION}), for the record.`,
    `PLAYGROUND_CONFIG = ${pythonString(JSON.stringify(config))}`,
    `SEED = ${config.seed}`,
    `EPOCHS = ${config.training.epochs}`,
    batchSizeLine(config.training),
    `LEARNING_RATE = ${pyNumber(config.optimizer.learningRate)}`,
    `TRAIN_COUNT = ${MNIST_TRAIN_COUNT}`,
    `TEST_COUNT = ${MNIST_TEST_COUNT}`,
    `VALIDATION_FRACTION = ${pyNumber(data.validationFraction)}`,
    `SPLIT_METHOD = "${data.splitMethod}"  # "random": a permutation from the seed; "first": file order`,
    `TRAINING_EXAMPLES = ${data.trainingExamples ?? 'None'}  # None: every example left after the validation split`,
    `NORMALIZATION = "${data.normalization}"  # "scale": x/255; "center": (x/255 - 0.5)/0.5; "standardize"`,
    `ROTATION_DEGREES = ${pyNumber(data.rotationDegrees)}`,
    `CROP_PADDING = ${data.cropPadding}`,
    `SHIFT_PIXELS = ${data.shiftPixels}`,
    `LABEL_NOISE = ${pyNumber(data.labelNoise)}  # share of training labels replaced by another class (seeded)`,
    '',
    '',
  ].join('\n');
}

/**
 * The whole script for `config`, to be saved as `fileName` (named in its usage line; pass a
 * name made of `[\w.-]` only, e.g. from {@link pytorchScriptFileName}).
 */
export function pytorchScript(config: TrainingConfig, fileName = 'train_mnist.py'): string {
  const batchNorm = config.model.hiddenLayers.some((layer) => layer.batchNorm);
  return [
    headerSection(config, fileName),
    PYTHON_PLAYGROUND_RANDOM,
    PYTHON_SPLIT,
    PYTHON_LABEL_NOISE,
    PYTHON_MNIST,
    PYTHON_NORMALIZATION,
    PYTHON_AUGMENTATION,
    batchNorm ? PYTHON_BATCH_NORM : '',
    modelSection(config),
    lossSection(config.loss),
    optimizerSection(config.optimizer),
    scheduleSection(config.schedule),
    PYTHON_MAIN,
  ].join('\n');
}

/** `<base>.py` from a safe stem (letters, digits, `_`, `.`, `-`), `train_mnist.py` without one. */
export function pytorchScriptFileName(baseName: string): string {
  const stem = baseName.replace(/[^\w.-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return `${stem === '' ? 'train_mnist' : stem}.py`;
}

/** The script of `config` as the file to download, named from `baseName`. */
export function pytorchScriptFile(config: TrainingConfig, baseName: string): ExportedFile {
  const name = pytorchScriptFileName(baseName);
  return { name, mimeType: PYTHON_MIME_TYPE, contents: pytorchScript(config, name) };
}

/**
 * The Models panel's PyTorch format: the script of the saved model's config. It trains the
 * config again from scratch; the saved weights are not in it (the ONNX and TF.js formats carry
 * them).
 */
export const exportPytorchScriptForModel: ModelExporter = (model, baseName) =>
  Promise.resolve([pytorchScriptFile(model.config, baseName)]);
