import type { VariantOverride } from './comparison.ts';
import { DEFAULT_CONFIG, type TrainingConfig } from './config.ts';

/**
 * Lessons: one concept each, in plain words, with the experiment that shows it set up in one
 * click (a config to train, or a comparison to race) and what to watch while it runs. Sized to
 * take seconds on a laptop, so a class can run several in ten minutes.
 */

export interface Lesson {
  readonly id: string;
  readonly title: string;
  /** The idea, for someone who has never trained a network. */
  readonly concept: string;
  /** What to look at on the charts while it runs. */
  readonly watch: string;
  /** The config to train, or the base of the comparison. */
  readonly config: TrainingConfig;
  /** Variants to race on `config`; absent for a single training run. */
  readonly variants?: readonly (readonly VariantOverride[])[];
  /** Wait after every step (ms), so each step can be watched; 0 for full speed. */
  readonly stepDelayMs: number;
}

/**
 * The default model on `examples` training examples for `epochs` epochs, plus `changes`. Subset
 * sizes divide by the batch sizes used (12,800 = 100 × 128 = 200 × 64): a short last batch of a
 * few examples makes a noisy step right before validation, a spike that would distract a class.
 */
function setup(
  examples: number | null,
  epochs: number,
  changes: Partial<TrainingConfig> = {},
): TrainingConfig {
  return {
    ...DEFAULT_CONFIG,
    ...changes,
    training: { ...DEFAULT_CONFIG.training, ...changes.training, epochs },
    data: { ...DEFAULT_CONFIG.data, trainingExamples: examples, ...changes.data },
  };
}

const layers = (units: readonly number[], activation: 'relu' | 'sigmoid' = 'relu') =>
  units.map((n) => ({ units: n, activation, dropout: 0, batchNorm: false }));

const sgd = (learningRate: number) => ({ ...DEFAULT_CONFIG.optimizer, kind: 'sgd' as const, learningRate });

/** A small training set and a big network: the recipe for overfitting. */
const overfitting = (epochs: number) =>
  setup(500, epochs, {
    name: 'Overfitting: 500 examples, a big network',
    model: { ...DEFAULT_CONFIG.model, hiddenLayers: layers([512, 512]) },
    training: { ...DEFAULT_CONFIG.training, batchSize: 50 },
  });

/**
 * The overfitting network on twice the examples, long enough to memorise 40% wrong labels. In the
 * CLI (Xeon, 2 cores, Node 20, 2026-12-03, fused kernel) seed 42 with 40% noise reached 100%
 * training accuracy by epoch 22 while validation peaked at 78% (epoch 3) and fell to 63%; without
 * noise validation held 90%.
 */
const noisyOverfitting = setup(1000, 30, {
  name: 'Label noise: 1,000 examples, a big network',
  model: { ...DEFAULT_CONFIG.model, hiddenLayers: layers([512, 512]) },
  training: { ...DEFAULT_CONFIG.training, batchSize: 50 },
});

/**
 * Eight sigmoid layers of 64 under plain SGD (the preset
 * `configs/vanishing-gradients-sigmoid-8-layers-sgd.json`; its twin `…-batchnorm.json` has batch
 * norm on every layer). In the CLI's training loop with the in-process analysis (Xeon, 2 cores,
 * Node 20, 2026-12-04, seed 42) the first layer's gradient norm on the probe batch stayed near
 * 1e-5 while the last hidden layer's was near 0.05 and the output's 0.2, and validation accuracy
 * stayed at chance (10%); with batch norm every layer's norm lay between 0.2 and 2 and validation
 * reached 90% (91.7% test).
 */
export const vanishingGradients = (batchNorm: boolean): TrainingConfig =>
  setup(12_800, 3, {
    name: `Vanishing gradients${batchNorm ? ', batch norm on' : ''}: sigmoid 784-64×8-10, SGD 0.1, 12,800 training examples, 3 epochs`,
    model: {
      ...DEFAULT_CONFIG.model,
      init: 'glorot',
      hiddenLayers: layers(
        Array.from({ length: 8 }, () => 64),
        'sigmoid',
      ).map((layer) => ({
        ...layer,
        batchNorm,
      })),
    },
    optimizer: sgd(0.1),
    training: { ...DEFAULT_CONFIG.training, batchSize: 64 },
  });

export const LESSONS: readonly Lesson[] = [
  {
    id: 'gradient-descent',
    title: 'Gradient descent, one step at a time',
    concept:
      'Training shows the network a small batch of digits, measures how wrong it is (the loss), and nudges every weight a little in the direction that makes it less wrong. That nudge is one step.',
    watch:
      'Slowed to a few steps a second: each step moves the loss a little, sometimes up, mostly down. Press Pause, then Step, to take one step at a time.',
    config: setup(2048, 1, {
      name: 'One step at a time',
      optimizer: sgd(0.1),
      training: { ...DEFAULT_CONFIG.training, batchSize: 32 },
    }),
    stepDelayMs: 250,
  },
  {
    id: 'overfitting',
    title: 'Overfitting: memorising instead of learning',
    concept:
      'With only 500 examples and a network of 670,000 weights, the network can simply memorise the training digits. It then does well on them and worse on digits it has never seen.',
    watch:
      'Training loss falls towards zero and training accuracy reaches 100%, while validation loss stops falling and turns back up: the gap between the two curves is overfitting. To watch a network memorise pure noise, take the next lesson, or set Label noise under Data.',
    config: overfitting(40),
    stepDelayMs: 0,
  },
  {
    id: 'label-noise',
    title: 'Memorising noise: labels that lie',
    concept:
      'Give 40% of the training digits a random wrong label. Those labels follow no pattern, so nothing in them can be learned; a network big enough memorises them anyway, one example at a time, and each wrong answer it memorises teaches it something false about real digits.',
    watch:
      'The noisy run’s training accuracy passes 60% (the share of true labels) and climbs on to 100% as it memorises the lies, while its validation accuracy, measured on true labels, peaks within a few epochs and then falls for good. The clean run holds about 90% on validation.',
    config: noisyOverfitting,
    variants: [[{ field: 'labelNoise', value: 0 }], [{ field: 'labelNoise', value: 0.4 }]],
    stepDelayMs: 0,
  },
  {
    id: 'dropout',
    title: 'Dropout: learning with a handicap',
    concept:
      'Dropout switches off a random half of the hidden units at every step, so no unit can rely on another one being there. The network has to learn features that work on their own, which memorise less.',
    watch:
      'On the overfitting setup, the run without dropout drives its training loss to almost zero; with dropout it stays well above, and the gap to the validation loss is smaller. Dropout fights overfitting, but it is no substitute for more data: the validation curves end close together.',
    config: overfitting(30),
    variants: [[{ field: 'dropout', value: 0 }], [{ field: 'dropout', value: 0.5 }]],
    stepDelayMs: 0,
  },
  {
    id: 'batch-norm',
    title: 'Batch norm: keeping signals in range',
    concept:
      'A sigmoid squashes big inputs flat, and flat means no gradient: deep layers learn slowly. Batch norm re-centres and rescales each layer’s inputs on every batch, so the signal stays where the sigmoid still has a slope.',
    watch: 'The run with batch norm drops its loss much faster in the first epoch and ends far ahead.',
    config: setup(12_800, 3, {
      name: 'Sigmoid network with plain SGD',
      model: { ...DEFAULT_CONFIG.model, hiddenLayers: layers([128, 64], 'sigmoid') },
      optimizer: sgd(0.1),
      training: { ...DEFAULT_CONFIG.training, batchSize: 64 },
    }),
    variants: [[{ field: 'batchNorm', value: false }], [{ field: 'batchNorm', value: true }]],
    stepDelayMs: 0,
  },
  {
    id: 'vanishing-gradients',
    title: 'Vanishing gradients: why deep sigmoid networks stall',
    concept:
      'Training sends the error backwards from the output, layer by layer. A sigmoid passes on at most a quarter of the gradient it receives, so after eight sigmoid layers the first layers get almost nothing: they barely change, and the network does not learn.',
    watch:
      'Open the Layers view while it trains. Gradient norm per layer falls by orders of magnitude towards the input (about 1e-5 at Hidden 1 against 0.2 at the output), and the update/weight ratio of the early layers is tiny; the saturated share stays near 0%, so the sigmoids are not stuck at 0 or 1: each one simply shrinks the gradient. Accuracy stays near 10%, chance. Then pick “Vanishing gradients, batch norm on” under Preset and train again: the gradient norms become even across the layers and validation accuracy passes 85% in the first epoch.',
    config: vanishingGradients(false),
    stepDelayMs: 0,
  },
  {
    id: 'loss',
    title: 'Cross-entropy vs mean squared error',
    concept:
      'The loss says how wrong a prediction is. Cross-entropy punishes a confident wrong answer very hard; mean squared error treats the ten outputs like any numbers and punishes it gently, so its gradients are small when the network is badly wrong.',
    watch:
      'With plain SGD, cross-entropy climbs faster in validation accuracy. The loss values themselves are on different scales: compare accuracy, not loss.',
    config: setup(12_800, 3, { name: 'Losses with SGD', optimizer: sgd(0.1) }),
    variants: [[{ field: 'loss', value: 'crossEntropy' }], [{ field: 'loss', value: 'mse' }]],
    stepDelayMs: 0,
  },
  {
    id: 'batch-size',
    title: 'Stochastic, mini-batch or full batch',
    concept:
      'One example per step (stochastic) gives many noisy steps; the whole training set per step (full batch) gives one precise but slow step; a mini-batch of 64 is the compromise almost everyone uses.',
    watch:
      'After three epochs full batch has taken three steps and barely moved, while batch 1 and batch 64 are both above 93%. Now switch the x axis to training time: batch 1 needed many times longer than batch 64.',
    config: setup(12_800, 3, { name: 'Batch sizes' }),
    variants: [
      [{ field: 'batchSize', value: 1 }],
      [{ field: 'batchSize', value: 64 }],
      [{ field: 'batchSize', value: 'full' }],
    ],
    stepDelayMs: 0,
  },
  {
    id: 'optimizers',
    title: 'SGD vs Adam vs RMSprop',
    concept:
      'SGD takes the same size of step for every weight. Adam and RMSprop keep a running average of each weight’s gradients and take bigger steps for weights that rarely move, smaller for those that jump around.',
    watch:
      'Adam and RMSprop are ahead after the first epoch. Each optimizer runs at its usual learning rate; try another rate and see how sensitive SGD is.',
    config: setup(12_800, 3, { name: 'Optimizers' }),
    variants: [
      [
        { field: 'optimizer', value: 'sgd' },
        { field: 'learningRate', value: 0.1 },
      ],
      [
        { field: 'optimizer', value: 'adam' },
        { field: 'learningRate', value: 0.001 },
      ],
      [
        { field: 'optimizer', value: 'rmsprop' },
        { field: 'learningRate', value: 0.001 },
      ],
    ],
    stepDelayMs: 0,
  },
  {
    id: 'normalization',
    title: 'Normalising the inputs',
    concept:
      'Pixels arrive as numbers from 0 to 255. Networks learn best from inputs centred on 0 with a spread of about 1; feeding raw-scale numbers makes some weights learn much faster than others.',
    watch:
      'Compare pixels/255 (0 to 1) with standardised inputs (mean 0, spread 1) under plain SGD: watch the first epoch’s loss.',
    config: setup(12_800, 3, { name: 'Input scaling with SGD', optimizer: sgd(0.05) }),
    variants: [
      [{ field: 'normalization', value: 'scale' }],
      [{ field: 'normalization', value: 'standardize' }],
    ],
    stepDelayMs: 0,
  },
  {
    id: 'augmentation',
    title: 'Augmentation: more data for free',
    concept:
      'Rotating each training digit a little at random shows the network a slightly different image every epoch. It cannot memorise exact pixels, so it learns the shapes.',
    watch:
      'On 1,000 examples, the augmented run trains more slowly (its training loss stays higher) but its validation accuracy keeps climbing after the plain run stalls.',
    config: setup(1000, 20, {
      name: 'Augmentation on 1,000 examples',
      training: { ...DEFAULT_CONFIG.training, batchSize: 100 },
    }),
    variants: [[{ field: 'rotation', value: 0 }], [{ field: 'rotation', value: 15 }]],
    stepDelayMs: 0,
  },
];

export function lessonById(id: string): Lesson | null {
  return LESSONS.find((lesson) => lesson.id === id) ?? null;
}
