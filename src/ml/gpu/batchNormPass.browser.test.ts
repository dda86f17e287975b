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
 * `batchNormBackward` (the reference every engine matches) on a layer of odd width 13 at batch 1
 * and 7 (and a padded row stride), for several activations with and without a dropout mask, over
 * three steps with the running statistics carried over. Every output — x̂, y, h, the saved mean
 * and 1/σ, the running mean and variance, dγ, dβ, dz — must agree to max|gpu − wasm| ≤ 1e-5 ·
 * max|wasm| over the array: the GPU sums each column in another order than the kernel's rows.
 */

const WIDTH = 13;
/** The kernel works on blocks of 4 columns: its copy of the layer is padded to 16. */
const KERNEL_LD = 16;
const MAX_BATCH = 8;
const STEPS = 3;
const TOLERANCE = 1e-5;
const GAMMA_AT = 5;
const BETA_AT = GAMMA_AT + WIDTH;
const PARAM_FLOATS = BETA_AT + WIDTH + 3;

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});

function random(rng: SeededRandom, count: number, scale = 1, offset = 0): Float32Array {
  return Float32Array.from({ length: count }, () => offset + scale * (rng.nextFloat() * 2 - 1));
}

/** The first `width` columns of `rows` rows `ld` floats apart. */
function columns(data: Float32Array, rows: number, ld: number, width = WIDTH): Float32Array {
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) out.set(data.subarray(r * ld, r * ld + width), r * width);
  return out;
}

/** `rows × WIDTH` values laid out `ld` floats a row (zeros between). */
function strided(data: Float32Array, rows: number, ld: number): Float32Array {
  const out = new Float32Array(rows * ld);
  for (let r = 0; r < rows; r++) out.set(data.subarray(r * WIDTH, (r + 1) * WIDTH), r * ld);
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
  readonly activation: Activation;
  readonly masked: boolean;
  readonly batch: number;
  readonly rowStride: number;
}

const CASES: readonly Case[] = [
  { activation: 'relu', masked: true, batch: 7, rowStride: WIDTH },
  { activation: 'relu', masked: false, batch: 1, rowStride: WIDTH },
  { activation: 'tanh', masked: false, batch: 7, rowStride: 16 },
  { activation: 'sigmoid', masked: true, batch: 1, rowStride: 16 },
  { activation: 'gelu', masked: true, batch: MAX_BATCH, rowStride: WIDTH },
  { activation: 'linear', masked: false, batch: 2, rowStride: WIDTH },
];

describe('BatchNormPass matches the fused WASM kernel', () => {
  for (const { activation, masked, batch, rowStride } of CASES) {
    it(`${activation}${masked ? ', masked' : ''}, batch ${batch}, row stride ${rowStride}: ${STEPS} steps`, async () => {
      const rng = new SeededRandom(11);
      const regionBytes = Math.ceil((MAX_BATCH * rowStride * 4) / GPU_REGION_ALIGN) * GPU_REGION_ALIGN;
      const at = (i: number) => i * regionBytes;
      const layer: BatchNormLayer = {
        width: WIDTH,
        rowStride,
        maxBatch: MAX_BATCH,
        activation,
        gamma: GAMMA_AT,
        beta: BETA_AT,
        z: at(0),
        y: at(1),
        h: at(2),
        mask: masked ? at(3) : null,
        dz: at(4),
      };
      const activations = storageBuffer(device, new Float32Array((5 * regionBytes) / 4), 'activations');
      const params = storageBuffer(device, new Float32Array(PARAM_FLOATS), 'params');
      const grads = storageBuffer(device, new Float32Array(PARAM_FLOATS), 'grads');
      const pass = new BatchNormPass(device, layer, { params, grads, activations });

      const { k, reserve, floats } = referenceKernel();
      const matrix = () => reserve(MAX_BATCH * KERNEL_LD);
      const vector = () => reserve(KERNEL_LD);
      const kat = {
        z: matrix(),
        y: matrix(),
        a: matrix(),
        h: matrix(),
        mask: matrix(),
        dh: matrix(),
        dz: matrix(),
        bias: vector(),
        gamma: vector(),
        beta: vector(),
        runningMean: vector(),
        runningVar: vector(),
        mean: vector(),
        invStd: vector(),
        gradGamma: vector(),
        gradBeta: vector(),
      };
      const kernelMatrix = (offset: number) => columns(floats().subarray(offset / 4), batch, KERNEL_LD);
      const kernelVector = (offset: number) => floats().slice(offset / 4, offset / 4 + WIDTH);
      const setKernel = (offset: number, values: Float32Array, ld = WIDTH) =>
        floats().set(ld === WIDTH ? values : strided(values, batch, ld), offset / 4);

      const runningMean = random(rng, WIDTH, 0.5);
      const runningVar = random(rng, WIDTH, 0.5, 1);
      pass.loadRunningStatistics(device.queue, runningMean, runningVar);
      setKernel(kat.runningMean, runningMean);
      setKernel(kat.runningVar, runningVar);
      const act = KERNEL_ACTIVATION_CODES[activation];

      for (let step = 1; step <= STEPS; step++) {
        const z = random(rng, batch * WIDTH, 2, 1);
        const gamma = random(rng, WIDTH, 0.5, 1);
        const beta = random(rng, WIDTH, 0.5);
        const mask = Float32Array.from({ length: batch * WIDTH }, () =>
          rng.nextFloat() < 0.7 ? 1 / 0.7 : 0,
        );
        const dh = random(rng, batch * WIDTH);

        // The kernel: forward, then backward from dh (which leaves dy = dh·mask·act′ in dh).
        setKernel(kat.z, z, KERNEL_LD);
        setKernel(kat.gamma, gamma);
        setKernel(kat.beta, beta);
        setKernel(kat.mask, mask, KERNEL_LD);
        setKernel(kat.dh, dh, KERNEL_LD);
        const kernelMask = masked ? kat.mask : 0;
        const momentum = BATCH_NORM_MOMENTUM;
        k.batchNormForward(
          kat.z,
          kat.bias,
          kat.gamma,
          kat.beta,
          kat.runningMean,
          kat.runningVar,
          kat.mean,
          kat.invStd,
          kat.y,
          kat.a,
          kernelMask,
          kat.h,
          batch,
          KERNEL_LD,
          WIDTH,
          KERNEL_LD,
          act,
          BATCH_NORM_EPSILON,
          1 - momentum,
          momentum,
          varianceRate(momentum, batch),
        );
        const kernelH = kernelMatrix(masked ? kat.h : kat.a);
        k.batchNormBackward(
          kat.dh,
          kernelMask,
          kat.y,
          kat.a,
          kat.z,
          kat.gamma,
          kat.invStd,
          kat.gradGamma,
          kat.gradBeta,
          kat.dz,
          batch,
          KERNEL_LD,
          WIDTH,
          KERNEL_LD,
          act,
        );
        const dy = kernelMatrix(kat.dh);

        // The GPU: forward, then backward from the kernel's dy.
        device.queue.writeBuffer(activations, layer.z, strided(z, batch, rowStride));
        if (layer.mask !== null)
          device.queue.writeBuffer(activations, layer.mask, strided(mask, batch, rowStride));
        device.queue.writeBuffer(params, GAMMA_AT * 4, gamma);
        device.queue.writeBuffer(params, BETA_AT * 4, beta);
        pass.writeArguments(device.queue, batch);
        await runPass(device, (p) => pass.recordForward(p));
        device.queue.writeBuffer(activations, layer.dz, strided(dy, batch, rowStride));
        await runPass(device, (p) => pass.recordBackward(p));

        const gpuMatrix = async (offset: number) =>
          columns(await readFloats(device, activations, batch * rowStride, offset), batch, rowStride);
        const gpuStatistic = (offset: number) => readFloats(device, pass.statistics, WIDTH, offset);
        const label = (what: string) => `${what} after step ${step}`;
        expectClose(await gpuMatrix(layer.z), kernelMatrix(kat.z), label('x̂'));
        expectClose(await gpuMatrix(layer.y), kernelMatrix(kat.y), label('y'));
        expectClose(await gpuMatrix(layer.h), kernelH, label('h'));
        expectClose(await gpuMatrix(layer.dz), kernelMatrix(kat.dz), label('dz'));
        expectClose(await gpuStatistic(pass.meanOffset), kernelVector(kat.mean), label('mean'));
        expectClose(await gpuStatistic(pass.inverseStdOffset), kernelVector(kat.invStd), label('1/σ'));
        expectClose(
          await gpuStatistic(pass.runningMeanOffset),
          kernelVector(kat.runningMean),
          label('running mean'),
        );
        expectClose(
          await gpuStatistic(pass.runningVarianceOffset),
          kernelVector(kat.runningVar),
          label('running variance'),
        );
        expectClose(
          await readFloats(device, grads, WIDTH, GAMMA_AT * 4),
          kernelVector(kat.gradGamma),
          label('dγ'),
        );
        expectClose(
          await readFloats(device, grads, WIDTH, BETA_AT * 4),
          kernelVector(kat.gradBeta),
          label('dβ'),
        );
      }
      pass.dispose();
      for (const buffer of [activations, params, grads]) buffer.destroy();
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
