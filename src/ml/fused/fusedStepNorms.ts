import type { FusedLayout } from '../../core/fusedLayout.ts';
import { l2Norm } from '../../core/layerHealth.ts';
import { relativeChange } from '../../core/layerStepNorms.ts';

/**
 * The fused kernel's per-step layer norms (`core/layerStepNorms.ts`), read straight from its
 * memory: the weights section leaves each layer's full mini-batch kernel gradient in the gradient
 * region (every thread writes its own rows of the one shared region, L1/L2 added, before the
 * update reads it), and the update is the difference from a copy of the kernels taken before the
 * step. Kernels are `[inPad, outPad]` with zero padding whose gradient is zero, so norms over the
 * padded blocks equal the unpadded ones. Costs a copy and three passes over the kernels, only on
 * sampled steps.
 */
export class FusedStepNorms {
  constructor(private readonly layout: FusedLayout) {}

  /** The span of the parameter region that holds every kernel, `[floats]` from the first kernel. */
  private get kernelSpan(): { start: number; end: number } {
    const { layers } = this.layout;
    const last = layers[layers.length - 1];
    const start = (layers[0]?.w ?? 0) / 4;
    const end = last === undefined ? start : last.w / 4 + last.inPad * last.outPad;
    return { start, end };
  }

  /** Copies the kernels out of `memory` (the kernel memory as f32), before the step. */
  before(memory: Float32Array): Float32Array {
    const { start, end } = this.kernelSpan;
    return memory.slice(start, end);
  }

  /**
   * After the step: `[2L]` the gradient norms, then ‖W − W_before‖₂/‖W_before‖₂ per layer, with
   * `before` from {@link before}.
   */
  after(memory: Float32Array, before: Float32Array): Float32Array {
    const { layers } = this.layout;
    const { start } = this.kernelSpan;
    const out = new Float32Array(2 * layers.length);
    layers.forEach((l, i) => {
      const count = l.inPad * l.outPad;
      out[i] = l2Norm(memory, l.gw / 4, count);
      out[layers.length + i] = relativeChange(before, l.w / 4 - start, memory, l.w / 4, count);
    });
    return out;
  }
}
