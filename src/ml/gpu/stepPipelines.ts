import type { TrainingConfig } from '../../core/config.ts';
import type { GpuLayout } from '../../core/gpuLayout.ts';
import { gemmReduceShader, gemmReduceWorkgroups, splitSpecs } from './gemmReduce.ts';
import { gemmShader, gemmWorkgroups, type GemmSpec } from './gemmShader.ts';
import type { GpuBuffers } from './gpuBuffers.ts';
import { lossShader, lossStatsSource, lossWorkgroups } from './lossShader.ts';
import {
  backwardSpec,
  forwardSpec,
  STEP_BINDINGS,
  stepHeader,
  weightGradientSpecs,
  type InputPlan,
} from './stepShaders.ts';

/**
 * The compute pipelines of the fused WebGPU engine's own passes (`stepShaders.ts`,
 * `lossShader.ts`), all on one explicit bind group layout and one bind group over the engine's
 * buffers, and how each is dispatched for a batch. Each `record…` adds its dispatches to the
 * step's compute pass and returns how many it added.
 */

interface Product {
  readonly pipeline: GPUComputePipeline;
  /** The dispatch adding a split product's parts (null: none of `specs` is split). */
  readonly reduce: GPUComputePipeline | null;
  readonly specs: readonly GemmSpec[];
  /** Workgroups after the products' (the weight gradients' finishes the step's loss statistics). */
  readonly extraWorkgroups: number;
}

export class StepPipelines {
  private readonly bindGroup: GPUBindGroup;
  private readonly forward: readonly Product[];
  /** Index l (≥ 1): the product into layer l − 1's gradient; index 0 unused. */
  private readonly backward: readonly (Product | null)[];
  private readonly weights: Product;
  private readonly loss: GPUComputePipeline;
  private readonly maxPerDimension: number;

  constructor(
    device: GPUDevice,
    layout: GpuLayout,
    buffers: GpuBuffers,
    plan: { readonly loss: TrainingConfig['loss']; readonly input: InputPlan },
  ) {
    this.maxPerDimension = device.limits.maxComputeWorkgroupsPerDimension;
    const bindGroupLayout = device.createBindGroupLayout({
      label: 'fused webgpu step',
      entries: STEP_BINDINGS.map(({ binding, type }) => ({
        binding,
        visibility: GPUShaderStage.COMPUTE,
        buffer: { type },
      })),
    });
    const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [bindGroupLayout] });
    const { step, params, grads, activations, pixels, batchRows, stats } = buffers;
    this.bindGroup = device.createBindGroup({
      label: 'fused webgpu step',
      layout: bindGroupLayout,
      entries: [step, params, grads, activations, pixels, batchRows, stats].map((buffer, binding) => ({
        binding,
        resource: { buffer },
      })),
    });
    const header = stepHeader(layout, plan.input);
    const pipeline = (label: string, code: string) =>
      device.createComputePipeline({
        label,
        layout: pipelineLayout,
        compute: { module: device.createShaderModule({ label, code }), entryPoint: 'main' },
      });
    const product = (
      label: string,
      parts: readonly { spec: GemmSpec; functions: string }[],
      extra?: Parameters<typeof gemmShader>[2],
    ): Product => {
      const specs = parts.map((p) => p.spec);
      const functions = `${header}\n${parts.map((p) => p.functions).join('\n')}`;
      const split = splitSpecs(specs).length > 0;
      return {
        pipeline: pipeline(label, gemmShader(functions, specs, extra)),
        reduce: split ? pipeline(`${label}, parts added`, gemmReduceShader(functions, specs)) : null,
        specs,
        extraWorkgroups: extra === undefined ? 0 : 1,
      };
    };
    this.forward = layout.layers.map((_, l) =>
      product(`fused webgpu forward ${l + 1}`, [forwardSpec(layout, l)]),
    );
    this.backward = layout.layers.map((_, l) =>
      l === 0 ? null : product(`fused webgpu backward ${l + 1}`, [backwardSpec(layout, l)]),
    );
    this.weights = product(
      'fused webgpu weight gradients',
      weightGradientSpecs(layout).map((spec) => ({ spec, functions: '' })),
      { functions: lossStatsSource(layout), call: 'if (lid == 0u) { finishLossStats(); }' },
    );
    this.loss = pipeline(
      'fused webgpu loss',
      lossShader(header, layout, plan.loss.kind, plan.loss.labelSmoothing),
    );
  }

  /** Layer `l`'s forward product. */
  recordForward(pass: GPUComputePassEncoder, l: number, batch: number): number {
    return this.dispatch(pass, this.product(this.forward[l], l), batch);
  }

  /** The loss and its gradient, 64 rows a workgroup (the weight gradients' dispatch finishes its statistics). */
  recordLoss(pass: GPUComputePassEncoder, batch: number): number {
    this.dispatchGroups(pass, this.loss, lossWorkgroups(batch));
    return 1;
  }

  /** Layer `l`'s (≥ 1) backward product into layer l − 1's gradient. */
  recordBackward(pass: GPUComputePassEncoder, l: number, batch: number): number {
    return this.dispatch(pass, this.product(this.backward[l], l), batch);
  }

  /** Every layer's weight and bias gradients, and the step's loss statistics (after {@link recordLoss}). */
  recordWeightGradients(pass: GPUComputePassEncoder, batch: number): number {
    return this.dispatch(pass, this.weights, batch);
  }

  private product(product: Product | null | undefined, l: number): Product {
    if (product == null) throw new Error(`fused webgpu: no product for layer ${l + 1}`);
    return product;
  }

  /** Dispatches per step: every product, the reduce of each split one, and the loss. */
  get dispatchesPerStep(): number {
    const products = [...this.forward, ...this.backward, this.weights].filter((p) => p !== null);
    return products.reduce((sum, p) => sum + (p.reduce === null ? 1 : 2), 0) + 1;
  }

  /** `product`'s dispatch, then its reduce's if it is split. */
  private dispatch(pass: GPUComputePassEncoder, product: Product, batch: number): number {
    this.dispatchGroups(
      pass,
      product.pipeline,
      gemmWorkgroups(product.specs, batch) + product.extraWorkgroups,
    );
    if (product.reduce === null) return 1;
    this.dispatchGroups(pass, product.reduce, gemmReduceWorkgroups(product.specs, batch));
    return 2;
  }

  /** One dispatch of `count` workgroups: along x, in rows of x past the per-dimension limit. */
  private dispatchGroups(pass: GPUComputePassEncoder, pipeline: GPUComputePipeline, count: number): void {
    const x = Math.min(count, this.maxPerDimension);
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.bindGroup);
    pass.dispatchWorkgroups(x, Math.ceil(count / x));
  }
}
