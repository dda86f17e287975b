import { beforeAll, describe, expect, it } from 'vitest';
import { BATCH_NORM_EPSILON, BATCH_NORM_MOMENTUM } from '../../core/batchNorm.ts';
import type { Activation } from '../../core/config.ts';
import { GPU_REGION_ALIGN } from '../../core/gpuLayout.ts';
import { KERNEL_ACTIVATION_CODES } from '../../core/kernelBindings.ts';
import { SeededRandom } from '../../core/random.ts';
import { varianceRate } from '../fused/columnsSection.ts';
import { BatchNormPass, type BatchNormLayer } from './batchNormPass.ts';
import { readFloats, referenceKernel, runPass, storageBuffer, testDevice } from './passTestSupport.ts';

/**
 * The batch-norm passes against the fused WASM kernel's own `batchNormForward` and
 * `batchNormBackward` (the reference every engine matches) on layers of odd width (13, and 37:
 * several workgroups) at batches 1, 2, 7, 8 and 45 (several rows a lane), with a padded row stride
 * too, for several activations with and without a dropout mask, over
 * three steps with the running statistics carried over. Every output — x̂, y, h, the saved mean
 * and 1/σ, the running mean and variance, dγ, dβ, dz — must agree to max|gpu − wasm| ≤ 1e-5 ·
 * max|wasm| over the array: the GPU sums each column in another order than the kernel's rows.
 */

const STEPS = 3;
const TOLERANCE = 1e-5;
/** γ's float offset in params and grads (β follows it): odd, as in a real layout. */
const GAMMA_AT = 5;

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});

function random(rng: SeededRandom, count: number, scale = 1, offset = 0): Float32Array {
  return Float32Array.from({ length: count }, () => offset + scale * (rng.nextFloat() * 2 - 1));
}

/** The first `width` columns of `rows` rows `ld` floats apart. */
function columns(data: Float32Array, rows: number, ld: number, width: number): Float32Array {
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) out.set(data.subarray(r * ld, r * ld + width), r * width);
  return out;
}

/** `rows × width` values laid out `ld` floats a row (zeros between). */
function strided(data: Float32Array, rows: number, ld: number, width: number): Float32Array {
  const out = new Float32Array(rows * ld);
  for (let r = 0; r < rows; r++) out.set(data.subarray(r * width, (r + 1) * width), r * ld);
  return out;
}

function expectClose(actual: Float32Array, expected: Float32Array, what: string): void {
  let worst = 0;
  let scale = 0;
  expected.forEach((e, i) => {
    worst = Math.max(worst, Math.abs((actual[i] ?? NaN) - e));
    scale = Math.max(scale, Math.abs(e));
  });
  expect(actual.length, what).toBe(expected.length);
  expect(worst, `${what}: max error ${worst} at scale ${scale}`).toBeLessThanOrEqual(TOLERANCE * scale);
}

interface Case {
  readonly width: number;
  readonly maxBatch: number;
  readonly activation: Activation;
  readonly masked: boolean;
  readonly batch: number;
  /** Floats a row in the GPU's regions (the kernel's copy is padded to a multiple of 4). */
  readonly rowStride: number;
}

/** One step's inputs, `[batch, width]` matrices and `[width]` vectors, unpadded. */
interface StepInputs {
  readonly z: Float32Array;
  readonly gamma: Float32Array;
  readonly beta: Float32Array;
  readonly mask: Float32Array;
  /** The gradient w.r.t. the layer's output h (the kernel turns it into dy). */
  readonly dh: Float32Array;
}

/** What both implementations produce in a step, unpadded. */
type StepOutputs = Record<
  'xHat' | 'y' | 'h' | 'dz' | 'mean' | 'invStd' | 'runningMean' | 'runningVar' | 'gradGamma' | 'gradBeta',
  Float32Array
>;

/** The fused WASM kernel's batch norm on a copy of the layer padded to whole 4-column blocks. */
function kernelLayer(
  { width, maxBatch, activation, masked }: Case,
  runningMean: Float32Array,
  runningVar: Float32Array,
) {
  const { k, reserve, floats } = referenceKernel();
  const ld = Math.ceil(width / 4) * 4;
  const matrices = ['z', 'y', 'a', 'h', 'mask', 'dh', 'dz'] as const;
  const vectors = [
    'bias',
    'gamma',
    'beta',
    'runningMean',
    'runningVar',
    'mean',
    'invStd',
    'gradGamma',
    'gradBeta',
  ] as const;
  const at = Object.fromEntries([
    ...matrices.map((name) => [name, reserve(maxBatch * ld)] as const),
    ...vectors.map((name) => [name, reserve(ld)] as const),
  ]) as Record<(typeof matrices)[number] | (typeof vectors)[number], number>;
  floats().set(runningMean, at.runningMean / 4);
  floats().set(runningVar, at.runningVar / 4);
  const act = KERNEL_ACTIVATION_CODES[activation];
  /** Forward, then backward from dh; returns the outputs and dy (what the kernel left in dh). */
  return (batch: number, inputs: StepInputs): { outputs: StepOutputs; dy: Float32Array } => {
    const matrix = (name: (typeof matrices)[number]) =>
      columns(floats().subarray(at[name] / 4), batch, ld, width);
    const vector = (name: (typeof vectors)[number]) => floats().slice(at[name] / 4, at[name] / 4 + width);
    for (const name of ['z', 'mask', 'dh'] as const)
      floats().set(strided(inputs[name], batch, ld, width), at[name] / 4);
    floats().set(inputs.gamma, at.gamma / 4);
    floats().set(inputs.beta, at.beta / 4);
    const mask = masked ? at.mask : 0;
    const m = BATCH_NORM_MOMENTUM;
    k.batchNormForward(
      at.z,
      at.bias,
      at.gamma,
      at.beta,
      at.runningMean,
      at.runningVar,
      at.mean,
      at.invStd,
      at.y,
      at.a,
      mask,
      at.h,
      batch,
      ld,
      width,
      ld,
      act,
      BATCH_NORM_EPSILON,
      1 - m,
      m,
      varianceRate(m, batch),
    );
    const h = matrix(masked ? 'h' : 'a');
    k.batchNormBackward(
      at.dh,
      mask,
      at.y,
      at.a,
      at.z,
      at.gamma,
      at.invStd,
      at.gradGamma,
      at.gradBeta,
      at.dz,
      batch,
      ld,
      width,
      ld,
      act,
    );
    const outputs = {
      xHat: matrix('z'),
      y: matrix('y'),
      h,
      dz: matrix('dz'),
      mean: vector('mean'),
      invStd: vector('invStd'),
      runningMean: vector('runningMean'),
      runningVar: vector('runningVar'),
      gradGamma: vector('gradGamma'),
      gradBeta: vector('gradBeta'),
    };
    return { outputs, dy: matrix('dh') };
  };
}

/** The pass on its own buffers: regions 256-byte aligned, γ and β at odd offsets. */
function gpuLayer(
  { width, maxBatch, activation, masked, rowStride }: Case,
  runningMean: Float32Array,
  runningVar: Float32Array,
) {
  const regionBytes = Math.ceil((maxBatch * rowStride * 4) / GPU_REGION_ALIGN) * GPU_REGION_ALIGN;
  const region = (i: number) => i * regionBytes;
  const beta = GAMMA_AT + width;
  const layer: BatchNormLayer = {
    width,
    rowStride,
    maxBatch,
    activation,
    gamma: GAMMA_AT,
    beta,
    z: region(0),
    y: region(1),
    h: region(2),
    mask: masked ? region(3) : null,
    dz: region(4),
  };
  const activations = storageBuffer(device, new Float32Array((5 * regionBytes) / 4), 'activations');
  const params = storageBuffer(device, new Float32Array(beta + width + 3), 'params');
  const grads = storageBuffer(device, new Float32Array(beta + width + 3), 'grads');
  const pass = new BatchNormPass(device, layer, { params, grads, activations });
  pass.loadRunningStatistics(device.queue, runningMean, runningVar);
  const step = async (batch: number, inputs: StepInputs, dy: Float32Array): Promise<StepOutputs> => {
    const queue = device.queue;
    queue.writeBuffer(activations, layer.z, strided(inputs.z, batch, rowStride, width));
    if (layer.mask !== null)
      queue.writeBuffer(activations, layer.mask, strided(inputs.mask, batch, rowStride, width));
    queue.writeBuffer(params, GAMMA_AT * 4, inputs.gamma);
    queue.writeBuffer(params, beta * 4, inputs.beta);
    pass.writeArguments(queue, batch);
    await runPass(device, (p) => pass.recordForward(p));
    queue.writeBuffer(activations, layer.dz, strided(dy, batch, rowStride, width));
    await runPass(device, (p) => pass.recordBackward(p));
    const matrix = async (offset: number) =>
      columns(await readFloats(device, activations, batch * rowStride, offset), batch, rowStride, width);
    const statistic = (offset: number) => readFloats(device, pass.statistics, width, offset);
    return {
      xHat: await matrix(layer.z),
      y: await matrix(layer.y),
      h: await matrix(layer.h),
      dz: await matrix(layer.dz),
      mean: await statistic(pass.meanOffset),
      invStd: await statistic(pass.inverseStdOffset),
      runningMean: await statistic(pass.runningMeanOffset),
      runningVar: await statistic(pass.runningVarianceOffset),
      gradGamma: await readFloats(device, grads, width, GAMMA_AT * 4),
      gradBeta: await readFloats(device, grads, width, beta * 4),
    };
  };
  const dispose = () => {
    pass.dispose();
    for (const buffer of [activations, params, grads]) buffer.destroy();
  };
  return { step, dispose };
}

const CASES: readonly Case[] = [
  { width: 13, maxBatch: 8, activation: 'relu', masked: true, batch: 7, rowStride: 13 },
  { width: 13, maxBatch: 8, activation: 'relu', masked: false, batch: 1, rowStride: 13 },
  { width: 13, maxBatch: 8, activation: 'tanh', masked: false, batch: 7, rowStride: 16 },
  { width: 13, maxBatch: 8, activation: 'sigmoid', masked: true, batch: 1, rowStride: 16 },
  { width: 13, maxBatch: 8, activation: 'gelu', masked: true, batch: 8, rowStride: 13 },
  { width: 13, maxBatch: 8, activation: 'linear', masked: false, batch: 2, rowStride: 13 },
  // Several workgroups (37 columns: 3 of 16) and several rows a lane (45 rows: up to 3 of 16 lanes).
  { width: 37, maxBatch: 50, activation: 'elu', masked: true, batch: 45, rowStride: 37 },
];

describe('BatchNormPass matches the fused WASM kernel', () => {
  for (const testCase of CASES) {
    const { width, activation, masked, batch, rowStride } = testCase;
    const name = `width ${width}, ${activation}${masked ? ', masked' : ''}, batch ${batch}, row stride ${rowStride}`;
    it(`${name}: ${STEPS} steps`, async () => {
      const rng = new SeededRandom(11);
      const runningMean = random(rng, width, 0.5);
      const runningVar = random(rng, width, 0.5, 1);
      const kernel = kernelLayer(testCase, runningMean, runningVar);
      const gpu = gpuLayer(testCase, runningMean, runningVar);
      for (let step = 1; step <= STEPS; step++) {
        const inputs: StepInputs = {
          z: random(rng, batch * width, 2, 1),
          gamma: random(rng, width, 0.5, 1),
          beta: random(rng, width, 0.5),
          mask: Float32Array.from({ length: batch * width }, () => (rng.nextFloat() < 0.7 ? 1 / 0.7 : 0)),
          dh: random(rng, batch * width),
        };
        const expected = kernel(batch, inputs);
        const actual = await gpu.step(batch, inputs, expected.dy);
        for (const key of Object.keys(expected.outputs) as (keyof StepOutputs)[])
          expectClose(actual[key], expected.outputs[key], `${key} after step ${step}`);
      }
      gpu.dispose();
    });
  }
});

describe('BatchNormPass refuses bad input', () => {
  it('says what is wrong', () => {
    const activations = storageBuffer(device, new Float32Array(1024), 'activations');
    const params = storageBuffer(device, new Float32Array(64), 'params');
    const grads = storageBuffer(device, new Float32Array(64), 'grads');
    const buffers = { params, grads, activations };
    const layer: BatchNormLayer = {
      width: 4,
      rowStride: 4,
      maxBatch: 4,
      activation: 'relu',
      gamma: 0,
      beta: 4,
      z: 0,
      y: 256,
      h: 512,
      mask: null,
      dz: 768,
    };
    expect(() => new BatchNormPass(device, { ...layer, y: 100 }, buffers)).toThrow(/multiple of 256/);
    expect(() => new BatchNormPass(device, { ...layer, rowStride: 3 }, buffers)).toThrow(/rowStride/);
    expect(() => new BatchNormPass(device, { ...layer, beta: 62 }, buffers)).toThrow(/beta offset/);
    expect(() => new BatchNormPass(device, { ...layer, dz: 4096 }, buffers)).toThrow(/runs past/);
    const pass = new BatchNormPass(device, layer, buffers);
    expect(() => pass.writeArguments(device.queue, 5)).toThrow(/batch must be an integer in \[1, 4\]/);
    expect(() => pass.loadRunningStatistics(device.queue, new Float32Array(3), new Float32Array(4))).toThrow(
      /4 values/,
    );
    pass.dispose();
    for (const buffer of [activations, params, grads]) buffer.destroy();
  });
});
