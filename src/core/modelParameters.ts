import { Fingerprint } from './fingerprint.ts';
import { MNIST_CLASSES, MNIST_PIXELS } from './idx.ts';

/**
 * The names, order and shapes of a model's saved state, derived from its config alone, so a file
 * or a stored model can be checked against the network it claims to be before any tensor is made.
 * The order is `Mlp.state`'s in `src/ml/mlp.ts` (a unit test there holds the two together):
 * every dense layer's kernel and bias (the output layer last), then every batch-norm layer's γ and
 * β, then every batch-norm layer's running mean and variance.
 */

/** One named tensor of a model's state: row-major float32 values. */
export interface ParameterTensor {
  /** E.g. `dense1.kernel`, `bn0.runningVar` (see {@link parameterLayout}). */
  readonly name: string;
  /** `[fanIn, fanOut]` for a kernel, `[units]` for everything else. */
  readonly shape: readonly number[];
  /** `shape[0] × shape[1] …` values. */
  readonly data: Float32Array;
}

export interface ParameterSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/** What decides the shapes: the hidden layers' widths and batch norm (a subset of `config.model`). */
export interface ModelLayout {
  readonly hiddenLayers: readonly { readonly units: number; readonly batchNorm: boolean }[];
}

/** Layer widths from input to output, e.g. "784-128-64-10". */
export function layoutName(model: ModelLayout): string {
  return [MNIST_PIXELS, ...model.hiddenLayers.map((l) => l.units), MNIST_CLASSES].join('-');
}

/**
 * Every tensor of the model's state, in `Mlp.state` order: `dense{i}.kernel [fanIn, fanOut]` and
 * `dense{i}.bias [fanOut]` for i = 0 … hidden layers (the last is the output layer), then
 * `bn{i}.gamma`, `bn{i}.beta` for each hidden layer i with batch norm, then `bn{i}.runningMean`,
 * `bn{i}.runningVar` for the same layers (`[units]` each).
 */
export function parameterLayout(model: ModelLayout): ParameterSpec[] {
  const sizes = [MNIST_PIXELS, ...model.hiddenLayers.map((l) => l.units), MNIST_CLASSES];
  const specs: ParameterSpec[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const fanIn = sizes[i] ?? 0;
    const fanOut = sizes[i + 1] ?? 0;
    specs.push(
      { name: `dense${i}.kernel`, shape: [fanIn, fanOut] },
      { name: `dense${i}.bias`, shape: [fanOut] },
    );
  }
  const norms = model.hiddenLayers.flatMap((layer, i) =>
    layer.batchNorm ? [{ i, units: layer.units }] : [],
  );
  for (const { i, units } of norms) {
    specs.push({ name: `bn${i}.gamma`, shape: [units] }, { name: `bn${i}.beta`, shape: [units] });
  }
  for (const { i, units } of norms) {
    specs.push({ name: `bn${i}.runningMean`, shape: [units] }, { name: `bn${i}.runningVar`, shape: [units] });
  }
  return specs;
}

/** Number of values a tensor of `shape` holds. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** "128×64" for a matrix, "128 values" for a vector, as messages print shapes. */
export function describeShape(shape: readonly number[]): string {
  return shape.length === 1 ? `${shape[0] ?? 0} values` : shape.join('×');
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Null when `tensors` have exactly the names, order and shapes `model` needs; otherwise a message
 * naming the first difference, e.g. "dense1.kernel should be 128×64 but is 128×32".
 */
export function checkLayout(model: ModelLayout, tensors: readonly ParameterSpec[]): string | null {
  const expected = parameterLayout(model);
  const architecture = layoutName(model);
  for (let i = 0; i < Math.max(expected.length, tensors.length); i++) {
    const want = expected[i];
    const got = tensors[i];
    if (want === undefined) {
      return `The weights have ${tensors.length} tensors but a ${architecture} network has ${expected.length}: ${got?.name ?? '?'} is extra`;
    }
    if (got === undefined) {
      return `The weights have ${tensors.length} tensors but a ${architecture} network has ${expected.length}: ${want.name} is missing`;
    }
    if (got.name !== want.name) return `Tensor ${i + 1} should be ${want.name} but is ${got.name}`;
    if (!sameShape(got.shape, want.shape)) {
      return `${want.name} should be ${describeShape(want.shape)} but is ${describeShape(got.shape)}`;
    }
  }
  return null;
}

/**
 * Null when `parameters` fit `model` exactly: names, order and shapes ({@link checkLayout}), as
 * many values as each shape needs, and every value finite (a NaN weight would make every
 * prediction NaN). Otherwise what is wrong, naming the tensor.
 */
export function checkParameters(model: ModelLayout, parameters: readonly ParameterTensor[]): string | null {
  const layout = checkLayout(model, parameters);
  if (layout !== null) return layout;
  for (const { name, shape, data } of parameters) {
    const size = sizeOf(shape);
    if (data.length !== size) {
      return `${name} has ${data.length.toLocaleString('en-US')} values but ${describeShape(shape)} needs ${size.toLocaleString('en-US')}: the weights are truncated or corrupt`;
    }
    for (let j = 0; j < data.length; j++) {
      if (!Number.isFinite(data[j]))
        return `${name} holds a value that is not finite (${data[j]}) at index ${j}`;
    }
  }
  return null;
}

/**
 * FNV-1a of every tensor's shape and float32 bit pattern, in order: the initial-weights
 * fingerprint of a run that continues from saved weights (equal ⇔ same start, as for fresh runs).
 */
export function parametersFingerprint(parameters: readonly ParameterTensor[]): string {
  const fingerprint = new Fingerprint();
  for (const { shape, data } of parameters) {
    fingerprint.addInt(shape.length);
    for (const d of shape) fingerprint.addInt(d);
    fingerprint.addArray(data);
  }
  return fingerprint.hex();
}
