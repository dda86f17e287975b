import { BATCH_NORM_EPSILON } from '../batchNorm.ts';
import type { Activation } from '../config.ts';
import type { SavedModel } from '../modelFile.ts';
import type { ParameterTensor } from '../modelParameters.ts';
import type { NormalizationStats } from '../normalization.ts';
import { OnnxGraphBuilder } from './onnxGraphBuilder.ts';

/**
 * The inference forward pass of a saved model as ONNX operators (opset {@link ONNX_OPSET}), the
 * same maths as `forward(model, x, null)` in `src/ml/mlp.ts`:
 *
 * ```
 * pixels [N, 784] (raw 0–255) → Div 255 → Sub mean → Div std          (the input normalisation)
 *   → per hidden layer i: Gemm (dense{i}) → [BatchNormalization (bn{i})] → activation
 *   → Gemm (output layer) = logits [N, 10] → Softmax = probabilities [N, 10]
 * ```
 *
 * Dropout is left out (it only acts in training). Activations missing from opset 13 are written
 * from primitives: GELU's tanh approximation as Mul/Add/Tanh.
 */

/** Opset 13 (ONNX 1.8): loads in every ONNX Runtime since 1.6, and has every operator used here. */
export const ONNX_OPSET = 13;
/** IR version 7, the one that goes with opset 13. */
export const ONNX_IR_VERSION = 7;

/** The graph's input: float32 `[N, 784]`, raw pixel values 0–255. */
export const ONNX_INPUT = 'pixels';
/** The graph's outputs, both float32 `[N, 10]`: softmax probabilities first, then the logits. */
export const ONNX_OUTPUTS = ['probabilities', 'logits'] as const;

/** √(2/π), as in GELU's tanh approximation in `src/ml/activations.ts`. */
const GELU_C = Math.sqrt(2 / Math.PI);
/** TF.js's `tf.selu` constants (λ, α), which the model trains with. */
const SELU_GAMMA = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;
/** Leaky ReLU's negative slope (PyTorch's default, as in `src/ml/activations.ts`). */
const LEAKY_RELU_SLOPE = 0.01;

/** Pixels → normalised inputs; skips the Sub for mean 0 and the Div for std 1. Returns the value name. */
function normalise(graph: OnnxGraphBuilder, { mean, std }: NormalizationStats): string {
  let value = graph.node('Div', [ONNX_INPUT, graph.scalar('pixel_max', 255)], 'pixels_scaled');
  if (mean !== 0)
    value = graph.node('Sub', [value, graph.scalar('normalization.mean', mean)], 'pixels_centered');
  if (std !== 1)
    value = graph.node('Div', [value, graph.scalar('normalization.std', std)], 'pixels_normalized');
  return value;
}

/** GELU, tanh approximation: `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`. */
function gelu(graph: OnnxGraphBuilder, x: string, output: string): string {
  const squared = graph.node('Mul', [x, x], `${output}.x2`);
  const cubed = graph.node('Mul', [squared, x], `${output}.x3`);
  const scaledCube = graph.node('Mul', [cubed, graph.scalar('gelu.cubic', 0.044715)], `${output}.cubic`);
  const sum = graph.node('Add', [x, scaledCube], `${output}.sum`);
  const inner = graph.node('Mul', [sum, graph.scalar('gelu.sqrt_2_over_pi', GELU_C)], `${output}.inner`);
  const tanh = graph.node('Tanh', [inner], `${output}.tanh`);
  const onePlus = graph.node('Add', [tanh, graph.scalar('one', 1)], `${output}.one_plus`);
  const half = graph.node('Mul', [x, graph.scalar('half', 0.5)], `${output}.half_x`);
  return graph.node('Mul', [half, onePlus], output);
}

/** Applies `activation` to the value `x`, writing `output` (or nothing for `linear`). */
function activate(graph: OnnxGraphBuilder, x: string, activation: Activation, output: string): string {
  switch (activation) {
    case 'relu':
      return graph.node('Relu', [x], output);
    case 'leakyRelu':
      return graph.node('LeakyRelu', [x], output, [
        { kind: 'float', name: 'alpha', value: LEAKY_RELU_SLOPE },
      ]);
    case 'elu':
      return graph.node('Elu', [x], output, [{ kind: 'float', name: 'alpha', value: 1 }]);
    case 'gelu':
      return gelu(graph, x, output);
    case 'selu':
      return graph.node('Selu', [x], output, [
        { kind: 'float', name: 'alpha', value: SELU_ALPHA },
        { kind: 'float', name: 'gamma', value: SELU_GAMMA },
      ]);
    case 'sigmoid':
      return graph.node('Sigmoid', [x], output);
    case 'tanh':
      return graph.node('Tanh', [x], output);
    case 'linear':
      return x;
    default: {
      const unknown: never = activation;
      throw new Error(`Unknown activation ${String(unknown)}`);
    }
  }
}

/**
 * Adds `model`'s forward pass to a new builder: every parameter tensor becomes an initializer
 * under its own name (`dense0.kernel [784, 128]`, `bn0.runningVar [128]`…). `model.parameters`
 * must fit `model.config.model` (`checkParameters`); the exporter checks it first.
 */
export function buildOnnxGraph(model: SavedModel): OnnxGraphBuilder {
  const graph = new OnnxGraphBuilder();
  const byName = new Map<string, ParameterTensor>(model.parameters.map((p) => [p.name, p]));
  const weight = (name: string): string => {
    const tensor = byName.get(name);
    if (tensor === undefined) throw new Error(`The model has no ${name} tensor`);
    return graph.initializer(name, tensor.shape, tensor.data);
  };
  const dense = (i: number, input: string, output: string): string =>
    graph.node('Gemm', [input, weight(`dense${i}.kernel`), weight(`dense${i}.bias`)], output);

  let value = normalise(graph, model.normalization);
  const hidden = model.config.model.hiddenLayers;
  hidden.forEach((layer, i) => {
    value = dense(i, value, `dense${i}`);
    if (layer.batchNorm) {
      const inputs = ['gamma', 'beta', 'runningMean', 'runningVar'].map((p) => weight(`bn${i}.${p}`));
      value = graph.node('BatchNormalization', [value, ...inputs], `bn${i}`, [
        { kind: 'float', name: 'epsilon', value: BATCH_NORM_EPSILON },
      ]);
    }
    value = activate(graph, value, layer.activation, `hidden${i}`);
  });
  const [probabilities, logits] = ONNX_OUTPUTS;
  dense(hidden.length, value, logits);
  graph.node('Softmax', [logits], probabilities, [{ kind: 'int', name: 'axis', value: 1 }]);
  return graph;
}
