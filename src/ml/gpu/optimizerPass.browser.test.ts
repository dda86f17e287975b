import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type OptimizerConfig } from '../../core/config.ts';
import { SeededRandom } from '../../core/random.ts';
import { optimizerUpdate } from '../fused/weightsSection.ts';
import { OptimizerPass } from './optimizerPass.ts';
import {
  maxRelativeError,
  readFloats,
  referenceKernel,
  runPass,
  storageBuffer,
  testDevice,
} from './passTestSupport.ts';

/**
 * The optimizer pass against the fused WASM kernel's own optimizer functions (the reference every
 * engine matches), on an odd layout — 37 parameters of which the first 23 are decayable — over
 * several steps with the state carried over, for every optimizer with and without L1/L2. Per
 * element |gpu − wasm| / (|wasm| + 1e-3) ≤ 1e-5 for the weights and every state buffer (the two
 * may round differently where a GPU contracts a·b + c into one fused multiply-add). A weight that
 * is subnormal and gets no gradient must come out +0, as the kernel flushes it.
 */

const PARAMS = 37;
const DECAY = 23;
const STEPS = 4;
const TOLERANCE = 1e-5;
const SUBNORMAL_AT = 30;

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});

interface Case {
  readonly name: string;
  readonly optimizer: OptimizerConfig;
}

const optimizer = (changes: Partial<OptimizerConfig>): OptimizerConfig => ({
  ...DEFAULT_CONFIG.optimizer,
  ...changes,
});
const CASES: readonly Case[] = [
  { name: 'sgd', optimizer: optimizer({ kind: 'sgd' }) },
  { name: 'momentum', optimizer: optimizer({ kind: 'momentum', momentum: 0.9 }) },
  { name: 'momentum nesterov', optimizer: optimizer({ kind: 'momentum', momentum: 0.8, nesterov: true }) },
  { name: 'adam', optimizer: optimizer({ kind: 'adam', beta1: 0.9, beta2: 0.99, epsilon: 1e-7 }) },
  { name: 'adamw', optimizer: optimizer({ kind: 'adamw', weightDecay: 0.3 }) },
  { name: 'rmsprop', optimizer: optimizer({ kind: 'rmsprop', rho: 0.8, epsilon: 1e-6 }) },
  { name: 'adagrad', optimizer: optimizer({ kind: 'adagrad', epsilon: 0.1 }) },
];
const PENALTIES = [
  { l1: 0, l2: 0 },
  { l1: 0.01, l2: 0.02 },
] as const;

function randomFloats(rng: SeededRandom, count: number): Float32Array {
  return Float32Array.from({ length: count }, () => rng.nextFloat() * 2 - 1);
}

describe('OptimizerPass matches the fused WASM kernel', () => {
  for (const { name, optimizer: o } of CASES) {
    for (const loss of PENALTIES) {
      it(`${name}, l1 ${loss.l1}, l2 ${loss.l2}: ${STEPS} steps`, async () => {
        const rng = new SeededRandom(7);
        const initial = randomFloats(rng, PARAMS);
        initial[3] = 0; // sign(0) = 0: no L1 push
        initial[SUBNORMAL_AT] = 1e-39;
        const params = storageBuffer(device, initial, 'params');
        const grads = storageBuffer(device, new Float32Array(PARAMS), 'grads');
        const pass = new OptimizerPass(
          device,
          { optimizer: o, loss },
          { params, grads, paramFloats: PARAMS, decayFloats: DECAY },
        );

        const { k, reserve, floats } = referenceKernel();
        const at = { w: reserve(PARAMS), g: reserve(PARAMS), s1: reserve(PARAMS), s2: reserve(PARAMS) };
        const region = (offset: number) => floats().subarray(offset / 4, offset / 4 + PARAMS);
        region(at.w).set(initial);
        region(at.s2).fill(o.kind === 'adagrad' ? o.epsilon : 0);

        for (let step = 1; step <= STEPS; step++) {
          const gradients = randomFloats(rng, PARAMS);
          gradients[SUBNORMAL_AT] = 0;
          gradients[7] = 0;
          const learningRate = 0.05 * (1 + step / 10);
          const adam = o.kind === 'adam' || o.kind === 'adamw';
          const c1 = adam ? 1 / (1 - Math.pow(o.beta1, step)) : 1;
          const c2 = adam ? 1 / (1 - Math.pow(o.beta2, step)) : 1;

          region(at.g).set(gradients);
          if (loss.l1 > 0 || loss.l2 > 0) k.penaltyGradient(at.w, at.g, DECAY, loss.l2, loss.l1);
          const factor = 1 - learningRate * o.weightDecay;
          if (o.kind === 'adamw' && factor !== 1) k.scaleInPlace(at.w, DECAY, factor);
          optimizerUpdate(k, o, { learningRate, c1, c2 }, at, PARAMS);

          device.queue.writeBuffer(grads, 0, gradients);
          pass.writeArguments(device.queue, { learningRate, c1, c2 });
          await runPass(device, (p) => pass.record(p));

          const weights = await readFloats(device, params, PARAMS);
          expect(maxRelativeError(weights, region(at.w)), `weights after step ${step}`).toBeLessThanOrEqual(
            TOLERANCE,
          );
          if (pass.state1 !== null) {
            const state = await readFloats(device, pass.state1, PARAMS);
            expect(maxRelativeError(state, region(at.s1)), `state1 after step ${step}`).toBeLessThanOrEqual(
              TOLERANCE,
            );
          }
          if (pass.state2 !== null) {
            const state = await readFloats(device, pass.state2, PARAMS);
            expect(maxRelativeError(state, region(at.s2)), `state2 after step ${step}`).toBeLessThanOrEqual(
              TOLERANCE,
            );
          }
          expect(Object.is(weights[SUBNORMAL_AT], 0), 'the subnormal weight is flushed to +0').toBe(true);
        }
        pass.dispose();
        params.destroy();
        grads.destroy();
      });
    }
  }
});

describe('OptimizerPass refuses a bad layout', () => {
  it('says what is wrong', () => {
    const params = storageBuffer(device, new Float32Array(8), 'params');
    const grads = storageBuffer(device, new Float32Array(8), 'grads');
    const config = { optimizer: DEFAULT_CONFIG.optimizer, loss: DEFAULT_CONFIG.loss };
    expect(
      () => new OptimizerPass(device, config, { params, grads, paramFloats: 0, decayFloats: 0 }),
    ).toThrow(/paramFloats/);
    expect(
      () => new OptimizerPass(device, config, { params, grads, paramFloats: 8, decayFloats: 9 }),
    ).toThrow(/decayFloats/);
    expect(
      () => new OptimizerPass(device, config, { params, grads, paramFloats: 64, decayFloats: 0 }),
    ).toThrow(/params holds/);
    params.destroy();
    grads.destroy();
  });
});
