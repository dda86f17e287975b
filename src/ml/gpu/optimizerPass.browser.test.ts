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

/** Sizes of a run: floats, decayable floats, steps, and after which step `initialise()` restarts. */
interface Run {
  readonly paramFloats: number;
  readonly decayFloats: number;
  readonly steps: number;
  readonly restartAfter?: number;
}

/** `run` on the GPU and on the kernel from the same weights and gradients, compared every step. */
async function compare(o: OptimizerConfig, loss: { l1: number; l2: number }, run: Run): Promise<void> {
  const { paramFloats, decayFloats } = run;
  // Past the decayable floats: a GPU may read a subnormal as 0, so its L1 sign would differ.
  const subnormalAt = paramFloats - 2;
  const rng = new SeededRandom(7);
  const initial = randomFloats(rng, paramFloats);
  initial[3] = 0; // sign(0) = 0: no L1 push
  initial[subnormalAt] = 1e-39;
  const params = storageBuffer(device, initial, 'params');
  const grads = storageBuffer(device, new Float32Array(paramFloats), 'grads');
  const pass = new OptimizerPass(device, { optimizer: o, loss }, { params, grads, paramFloats, decayFloats });

  const { k, reserve, floats } = referenceKernel();
  const at = {
    w: reserve(paramFloats),
    g: reserve(paramFloats),
    s1: reserve(paramFloats),
    s2: reserve(paramFloats),
  };
  const region = (offset: number) => floats().subarray(offset / 4, offset / 4 + paramFloats);
  const initialiseKernelState = () => {
    region(at.s1).fill(0);
    region(at.s2).fill(o.kind === 'adagrad' ? o.epsilon : 0);
  };
  region(at.w).set(initial);
  initialiseKernelState();
  const expectState = async (buffer: GPUBuffer | null, offset: number, what: string) => {
    if (buffer === null) return;
    const state = await readFloats(device, buffer, paramFloats);
    expect(maxRelativeError(state, region(offset)), what).toBeLessThanOrEqual(TOLERANCE);
  };

  for (let step = 1; step <= run.steps; step++) {
    const gradients = randomFloats(rng, paramFloats);
    gradients[subnormalAt] = 0;
    gradients[7] = 0;
    const learningRate = 0.05 * (1 + step / 10);
    const adam = o.kind === 'adam' || o.kind === 'adamw';
    const c1 = adam ? 1 / (1 - Math.pow(o.beta1, step)) : 1;
    const c2 = adam ? 1 / (1 - Math.pow(o.beta2, step)) : 1;

    region(at.g).set(gradients);
    if (loss.l1 > 0 || loss.l2 > 0) k.penaltyGradient(at.w, at.g, decayFloats, loss.l2, loss.l1);
    const factor = 1 - learningRate * o.weightDecay;
    if (o.kind === 'adamw' && factor !== 1) k.scaleInPlace(at.w, decayFloats, factor);
    optimizerUpdate(k, o, { learningRate, c1, c2 }, at, paramFloats);

    device.queue.writeBuffer(grads, 0, gradients);
    pass.writeArguments(device.queue, { learningRate, c1, c2 });
    await runPass(device, (p) => pass.record(p));

    const weights = await readFloats(device, params, paramFloats);
    const after = `after step ${step}`;
    expect(maxRelativeError(weights, region(at.w)), `weights ${after}`).toBeLessThanOrEqual(TOLERANCE);
    await expectState(pass.state1, at.s1, `state1 ${after}`);
    await expectState(pass.state2, at.s2, `state2 ${after}`);
    expect(Object.is(weights[subnormalAt], 0), 'the subnormal weight is flushed to +0').toBe(true);
    if (step === run.restartAfter) {
      pass.initialise();
      initialiseKernelState();
    }
  }
  pass.dispose();
  params.destroy();
  grads.destroy();
}

describe('OptimizerPass matches the fused WASM kernel', () => {
  for (const { name, optimizer: o } of CASES) {
    for (const loss of PENALTIES) {
      it(`${name}, l1 ${loss.l1}, l2 ${loss.l2}: ${STEPS} steps`, () =>
        compare(o, loss, { paramFloats: PARAMS, decayFloats: DECAY, steps: STEPS }));
    }
  }
  it('adamw and adagrad over 1,001 parameters (4 workgroups), restarted by initialise() after step 2', async () => {
    const run = { paramFloats: 1001, decayFloats: 777, steps: 4, restartAfter: 2 };
    const loss = PENALTIES[1];
    for (const kind of ['adamw', 'adagrad'] as const) {
      const found = CASES.find((c) => c.name === kind);
      if (found === undefined) throw new Error(`no ${kind} case`);
      await compare(found.optimizer, loss, run);
    }
  });
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
