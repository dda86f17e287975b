import { BATCH_NORM_EPSILON, BATCH_NORM_MOMENTUM } from '../batchNorm.ts';
import { MNIST_CLASSES, MNIST_PIXELS } from '../idx.ts';
import { float32Bytes, MODEL_FILE_FORMAT, MODEL_FILE_VERSION, type SavedModel } from '../modelFile.ts';
import type { ExportedFile, ModelExporter } from './exportedFile.ts';
import {
  KERAS_ACTIVATIONS,
  LEAKY_RELU_SLOPE,
  TFJS_LAYERS_FORMAT,
  kerasWeightName,
  rescalingOf,
} from './tfjsLayersFormat.ts';

/**
 * A saved model as a TF.js Layers model: `<base>.tfjs.json` (a Keras topology, the weights
 * manifest and our metadata) and `<base>.weights.bin` (every tensor as little-endian float32,
 * back to back). `tf.loadLayersModel` loads the pair and `model.predict(pixels)` takes raw 0–255
 * pixels `[N, 784]` and gives the digit probabilities `[N, 10]`:
 *
 * Rescaling `normalise` (the run's `(x/255 − mean)/std`) → [Dropout `input_dropout`] → per hidden
 * layer i: Dense `dense{i}` → [BatchNormalization `bn{i}`] → activation (in the Dense when there
 * is no batch norm, else an `Activation` layer; leaky ReLU is a `LeakyReLU` layer, slope 0.01;
 * GELU is spelled out in standard layers, see {@link addGelu}) → [Dropout `dropout{i}`] → Dense
 * `dense{H}` with softmax. A `Sequential` model, or a functional one (`Model`) when GELU's
 * branches need it.
 *
 * Layers are named after our parameters (`dense0.kernel` is `dense0/kernel`), and pure JSON and
 * bytes are written here: no TF.js code, so the page never loads TF.js Layers to export. Our own
 * record (config, normalisation, origin, accuracy) rides along as `userDefinedMetadata`
 * (`model.getUserDefinedMetadata()`), which Upload model file reads back to restore the model
 * exactly.
 */

/** The name of the functional model's input layer. */
const INPUT_NAME = 'pixels';

/** One layer and the layers it reads (one for a chain, several for Add and Multiply). */
interface KerasNode {
  readonly className: string;
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly inputs: readonly string[];
}

/**
 * Collects layers in order and writes them as a `Sequential` topology while every layer reads
 * the one before it, else as a functional `Model` with an `InputLayer` and inbound nodes.
 */
export class KerasGraph {
  private readonly nodes: KerasNode[] = [];
  private chain = true;
  /** The newest layer's name: what the next layer reads unless told otherwise. */
  last = INPUT_NAME;

  /** Adds a layer reading `inputs` (default: the last layer); returns its name. */
  add(className: string, name: string, config: Record<string, unknown> = {}, inputs = [this.last]): string {
    if (inputs.length !== 1 || inputs[0] !== this.last) this.chain = false;
    this.nodes.push({ className, name, config: { name, trainable: true, ...config }, inputs });
    this.last = name;
    return name;
  }

  /** Layer class names in order (for tests and messages). */
  classNames(): string[] {
    return this.nodes.map((node) => node.className);
  }

  /** The `modelTopology` of `model.json`, whose input is `[null, inputSize]` float32. */
  topology(modelName: string, inputSize: number): Record<string, unknown> {
    const inputShape = { batch_input_shape: [null, inputSize], dtype: 'float32' };
    const common = { keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' };
    if (this.chain) {
      const layers = this.nodes.map(({ className, config }, i) => ({
        class_name: className,
        config: i === 0 ? { ...config, ...inputShape } : config,
      }));
      return { class_name: 'Sequential', config: { name: modelName, layers }, ...common };
    }
    const input = {
      name: INPUT_NAME,
      class_name: 'InputLayer',
      config: { ...inputShape, sparse: false, name: INPUT_NAME },
      inbound_nodes: [],
    };
    const layers = this.nodes.map(({ className, name, config, inputs }) => ({
      name,
      class_name: className,
      config,
      inbound_nodes: [inputs.map((input) => [input, 0, 0, {}])],
    }));
    return {
      class_name: 'Model',
      config: {
        name: modelName,
        layers: [input, ...layers],
        input_layers: [[INPUT_NAME, 0, 0]],
        output_layers: [[this.last, 0, 0]],
      },
      ...common,
    };
  }
}

/** √(2/π), as in `src/ml/activations.ts`. */
const GELU_C = Math.sqrt(2 / Math.PI);

/**
 * GELU, tanh approximation, `x·(0.5·tanh(√(2/π)·(x + 0.044715·x³)) + 0.5)`, on the last layer's
 * output x, in layers TF.js reads back (see `KERAS_ACTIVATIONS` for why not `gelu_new`):
 * Multiply, Rescaling (constant factors and the final `0.5·t + 0.5`), Add, tanh, Multiply.
 * No layer reads one tensor twice: TF.js 4.22's `predict` counts a tensor's readers by layer but
 * releases it once per read, so `Multiply([x, x, x])` frees x while later layers still need it;
 * an exact copy (`x·1 + 0`) stands in for the second factor.
 */
function addGelu(graph: KerasGraph, i: number): void {
  const x = graph.last;
  const scale = (name: string, factor: number, offset = 0) =>
    graph.add('Rescaling', `gelu${i}_${name}`, { scale: factor, offset });
  const copy = scale('copy', 1);
  const square = graph.add('Multiply', `gelu${i}_square`, {}, [x, copy]);
  graph.add('Multiply', `gelu${i}_cube`, {}, [square, copy]);
  const cubic = scale('cubic', 0.044715);
  graph.add('Add', `gelu${i}_sum`, {}, [x, cubic]);
  scale('inner', GELU_C);
  graph.add('Activation', `gelu${i}_tanh`, { activation: 'tanh' });
  const gate = scale('gate', 0.5, 0.5);
  graph.add('Multiply', `gelu${i}`, {}, [x, gate]);
}

const addDropout = (graph: KerasGraph, name: string, rate: number) => {
  if (rate > 0) graph.add('Dropout', name, { rate, noise_shape: null, seed: null });
};

/** The Keras layers of `model`, input to output (see the module comment). */
export function kerasGraph(model: SavedModel): KerasGraph {
  const { hiddenLayers, inputDropout } = model.config.model;
  const graph = new KerasGraph();
  graph.add('Rescaling', 'normalise', { ...rescalingOf(model.normalization) });
  addDropout(graph, 'input_dropout', inputDropout);
  hiddenLayers.forEach((hidden, i) => {
    const { activation, batchNorm, units } = hidden;
    const named = activation === 'leakyRelu' || activation === 'gelu' ? null : KERAS_ACTIVATIONS[activation];
    const inDense = !batchNorm && named !== null;
    graph.add('Dense', `dense${i}`, { units, activation: inDense ? named : 'linear', use_bias: true });
    if (batchNorm) {
      graph.add('BatchNormalization', `bn${i}`, {
        axis: -1,
        // Keras keeps `momentum` of the old value; PyTorch (and this playground) the new one's share.
        momentum: 1 - BATCH_NORM_MOMENTUM,
        epsilon: BATCH_NORM_EPSILON,
        center: true,
        scale: true,
      });
    }
    if (activation === 'leakyRelu') graph.add('LeakyReLU', `leaky_relu${i}`, { alpha: LEAKY_RELU_SLOPE });
    else if (activation === 'gelu') addGelu(graph, i);
    else if (!inDense && named !== 'linear') graph.add('Activation', `activation${i}`, { activation: named });
    addDropout(graph, `dropout${i}`, hidden.dropout);
  });
  graph.add('Dense', `dense${hiddenLayers.length}`, {
    units: MNIST_CLASSES,
    activation: 'softmax',
    use_bias: true,
  });
  return graph;
}

/** What `model.getUserDefinedMetadata()` returns for an exported model. */
function metadataOf(model: SavedModel) {
  return {
    format: MODEL_FILE_FORMAT,
    version: MODEL_FILE_VERSION,
    name: model.name,
    savedAt: new Date(model.savedAt).toISOString(),
    inputs: `Raw pixels 0–255, [batch, ${MNIST_PIXELS}] (28×28 row by row); the first layer (normalise) computes (x/255 − mean)/std with the normalization below.`,
    outputs: `Probabilities of the digits 0–9, [batch, ${MNIST_CLASSES}] (softmax of the logits).`,
    normalization: model.normalization,
    origin: model.origin,
    testAccuracy: model.testAccuracy,
    config: model.config,
  };
}

/** All tensors as one little-endian float32 buffer, in the manifest's (our parameters') order. */
function weightBytes(model: SavedModel): Uint8Array {
  const total = model.parameters.reduce((n, p) => n + p.data.length * 4, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const { data } of model.parameters) {
    bytes.set(float32Bytes(data), offset);
    offset += data.length * 4;
  }
  return bytes;
}

/** Writes `model` as `<baseName>.tfjs.json` and `<baseName>.weights.bin` (see the module comment). */
export const exportTfjsLayers: ModelExporter = (model, baseName) => {
  const weightsName = `${baseName}.weights.bin`;
  const modelJson = {
    format: TFJS_LAYERS_FORMAT,
    generatedBy: 'MNIST MLP playground',
    convertedBy: null,
    modelTopology: kerasGraph(model).topology('mlp', MNIST_PIXELS),
    weightsManifest: [
      {
        paths: [weightsName],
        weights: model.parameters.map((p) => ({
          name: kerasWeightName(p.name),
          shape: p.shape,
          dtype: 'float32',
        })),
      },
    ],
    userDefinedMetadata: metadataOf(model),
  };
  const files: ExportedFile[] = [
    {
      name: `${baseName}.tfjs.json`,
      mimeType: 'application/json',
      contents: `${JSON.stringify(modelJson, null, 1)}\n`,
    },
    { name: weightsName, mimeType: 'application/octet-stream', contents: weightBytes(model) },
  ];
  return Promise.resolve(files);
};
