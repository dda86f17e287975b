import { beforeAll, describe, expect, it } from 'vitest';
import { StatsSpans } from './statsSpans.ts';
import { testDevice } from './passTestSupport.ts';

/**
 * The span read-back of per-step stats, on Chromium's WebGPU (SwiftShader): a stand-in for the
 * loss pass writes `[loss, accuracy]` into each step's slot with `queue.writeBuffer`; spans must
 * return every step's pair once, whether they close because someone reads them or because they
 * fill up, and reads must survive the slots being overwritten by later spans.
 */

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});

const CAPACITY = 3;

function setUp() {
  const stats = device.createBuffer({
    size: CAPACITY * 8,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
  const spans = new StatsSpans(device, stats, CAPACITY);
  /** One "step": its pair written into its slot, then the step's own (empty) submit. */
  const step = (value: number) => {
    const { span, slot } = spans.nextSlot();
    device.queue.writeBuffer(stats, slot * 8, new Float32Array([value, value + 0.5]));
    const encoder = device.createCommandEncoder();
    spans.afterStep(encoder);
    device.queue.submit([encoder.finish()]);
    return { span, slot };
  };
  return { stats, spans, step };
}

describe('StatsSpans', () => {
  it('rolls over when full and closes an open span on its first read', async () => {
    const { stats, spans, step } = setUp();
    const steps = [1, 2, 3, 4, 5].map(step);
    // Steps 1–3 filled the first span; 4 and 5 are in the second, still open.
    expect(steps.map((s) => s.slot)).toEqual([0, 1, 2, 0, 1]);
    expect(steps[3]?.span).not.toBe(steps[0]?.span);
    const second = steps[3]?.span.read();
    // Read closed the second span: step 6 opens a third at slot 0.
    const sixth = step(6);
    expect(sixth.slot).toBe(0);
    expect(Array.from((await steps[0]?.span.read()) ?? [])).toEqual([1, 1.5, 2, 2.5, 3, 3.5]);
    expect(Array.from((await second) ?? [])).toEqual([4, 4.5, 5, 5.5]);
    // Idempotent: the same array for every reader.
    expect(await steps[4]?.span.read()).toBe(await second);
    expect(Array.from(await sixth.span.read())).toEqual([6, 6.5]);
    spans.dispose();
    stats.destroy();
  });

  it('after dispose, pending reads give NaN and no step is accepted', async () => {
    const { stats, spans, step } = setUp();
    const { span } = step(1);
    const read = span.read();
    spans.dispose();
    const values = await read;
    expect(Array.from(values)).toEqual([Number.NaN, Number.NaN]);
    expect(() => spans.nextSlot()).toThrow(/disposed/);
    stats.destroy();
  });
});
