import { accessFunctions, dealt, dimension, partialAt, sizeOf, type GemmSpec } from './gemmShader.ts';

/**
 * The second dispatch of split-K products (`gemmShader.ts`, `core/gpuProducts.ts`): for each
 * output of each split product, the sum of its parts' partial sums in order 0, 1, … — a fixed
 * order, the same on every run — then the product's store (its epilogue: bias, activation and
 * mask, or the gradient's place). Each invocation takes 4 neighbouring outputs of a row, so
 * neighbouring invocations read neighbouring partials.
 */

/** Invocations of a reduce workgroup. */
const INVOCATIONS = 64;

/** The split products among `specs`. */
export function splitSpecs(specs: readonly GemmSpec[]): GemmSpec[] {
  return specs.filter((s) => s.plan.parts > 1);
}

/** Workgroups of the reduce dispatch of `specs`' split products for a batch of `batch` rows. */
export function gemmReduceWorkgroups(specs: readonly GemmSpec[], batch: number): number {
  return splitSpecs(specs).reduce((sum, spec) => {
    const quads = sizeOf(spec.m, batch) * Math.ceil(sizeOf(spec.n, batch) / 4);
    return sum + Math.ceil(quads / INVOCATIONS);
  }, 0);
}

/**
 * The reduce shader (entry point `main`) of the split products among `specs` (at least one);
 * `header` declares the bindings and helpers their stores use. The workgroups are dealt out to
 * the products in order; dispatch {@link gemmReduceWorkgroups}.
 */
export function gemmReduceShader(header: string, specs: readonly GemmSpec[]): string {
  const split = splitSpecs(specs);
  if (split.length === 0) throw new Error('gemm reduce: no product is split');
  const functions = split.map((spec) => {
    const [M, N] = [dimension(spec.m), dimension(spec.n)];
    const terms = Array.from({ length: spec.plan.parts }, (_, p) => `act[${partialAt(spec, `${p}u`)}]`);
    return `${accessFunctions(spec)}
fn ${spec.name}_reduce(e: u32) {
  let quads = (${N} + 3u) / 4u;
  let m = e / quads;
  if (m >= ${M}) { return; }
  for (var d = 0u; d < 4u; d++) {
    let n = (e % quads) * 4u + d;
    if (n < ${N}) {
      ${spec.name}_store(m, n, ${terms.join(' + ')});
    }
  }
}`;
  });
  const body = dealt(split, (spec) => ({
    count: `((${dimension(spec.m)} * ((${dimension(spec.n)} + 3u) / 4u) + ${INVOCATIONS - 1}u) / ${INVOCATIONS}u)`,
    call: `${spec.name}_reduce(local * ${INVOCATIONS}u + lid);`,
  }));
  return /* wgsl */ `
${header}
${functions.join('\n')}
@compute @workgroup_size(${INVOCATIONS})
fn main(@builtin(workgroup_id) group: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let index = group.x + group.y * groups.x;
  var start = 0u;
  ${body}
}
`;
}
