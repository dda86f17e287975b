import { GEMM_INVOCATIONS, GEMM_TILE_K, type GemmPlan } from '../../core/gpuProducts.ts';

/**
 * Tiled matrix products in WGSL for the fused WebGPU engine: C[M, N] = A[M, K]·B[K, N], each
 * workgroup of {@link GEMM_INVOCATIONS} invocations computing one tileM×tileN tile of C (the
 * product's {@link GemmPlan}, `core/gpuProducts.ts`) from K-slices of {@link GEMM_TILE_K} staged
 * in workgroup memory as vec4s (`16·(tileM + tileN)` floats, or the tile of C if larger: ≤ 8 KiB,
 * under WebGPU's default 16 KiB), one pair of barriers per slice. Each invocation keeps a register block of RM×RN outputs (8×4
 * for 64×32 tiles) in vec4 accumulators written out as straight-line WGSL — no loop over the
 * block, no array indexed at run time — and per step of K reads one vec4 of A per 4 rows and one
 * vec4 of B per 4 columns; its rows and columns interleave with its neighbours' (group
 * `ty + TY·i`, `tx + TX·j`) so neighbouring invocations read neighbouring words. Staging reads
 * global memory along its contiguous index (neighbouring invocations, neighbouring addresses);
 * the finished tile goes back through workgroup memory so that the store — the caller's epilogue
 * — is written once and stores neighbouring columns from neighbouring invocations. Any M, N, K
 * work: loads outside the matrices read 0 and stores outside are skipped, so odd widths, batch 1
 * and a batch that changes between steps need nothing else.
 *
 * A split product (`plan.parts > 1`) gives each part of K its own workgroups, which store their
 * tile of partial sums at `partials` (`[parts, rows, N]` floats in the activations buffer); the
 * dispatch of `gemmReduce.ts` then adds the parts in order 0, 1, … for each element and runs the
 * store — a fixed order, so a run is repeatable (no float atomics).
 *
 * What A and B are and what happens to each output is the caller's WGSL ({@link GemmSpec}): the
 * loaders read the layer input from the activations buffer or straight from the resident pixel
 * bytes (gather and normalisation fused into the product), B from the parameters or the
 * activations, transposed or not; the epilogue adds the bias, applies the activation and the
 * dropout mask, or the mask and act′, or stores a gradient. Several products may share one
 * dispatch ({@link gemmShader} with several specs): the workgroups are dealt out to them in
 * order, which is how the weight gradients of every layer are one dispatch.
 */

/** A matrix size: a number fixed for the run, or the step's batch size (`step.batch`, a uniform). */
export type GemmDim = number | 'batch';

export interface GemmSpec {
  /** A WGSL identifier prefix, unique within the shader. */
  readonly name: string;
  readonly m: GemmDim;
  readonly n: GemmDim;
  readonly k: GemmDim;
  /** Body of `fn(m: u32, k: u32) -> f32`: A's element; called only inside the matrix. */
  readonly loadA: string;
  /** Body of `fn(k: u32, n: u32) -> f32`: B's element; called only inside the matrix. */
  readonly loadB: string;
  /** Which index of A is contiguous in memory ('k' for a row-major A, 'm' for a transposed one). */
  readonly contiguousA: 'k' | 'm';
  /** Which index of B is contiguous in memory ('n' for a row-major B, 'k' for a transposed one). */
  readonly contiguousB: 'n' | 'k';
  /** Body of `fn(m: u32, n: u32, v: f32)`: what to do with output (m, n) = v; called inside C only. */
  readonly store: string;
  /** Its tile and split (`gpuProducts.ts` `gemmPlan`). */
  readonly plan: GemmPlan;
  /**
   * Where a split product's partial sums go: float offset into `act`, and the row stride (the
   * largest M). Needed when `plan.parts > 1`.
   */
  readonly partials?: { readonly at: number; readonly rows: number };
}

/** An invocation's register block (RM×RN outputs) and the workgroup's grid (TX×TY invocations). */
interface Block {
  readonly rm: number;
  readonly rn: number;
  /** Invocations along N and M (TX·TY = {@link GEMM_INVOCATIONS}). */
  readonly tx: number;
  readonly ty: number;
}

/** The block of a tile: RN 8 for 64-wide tiles, else 4; RM what fills the tile (4 or 8). */
function blockOf(plan: GemmPlan, name: string): Block {
  const rn = plan.tileN >= 64 ? 8 : 4;
  const tx = plan.tileN / rn;
  const ty = GEMM_INVOCATIONS / tx;
  const rm = plan.tileM / ty;
  if (!Number.isInteger(tx) || !Number.isInteger(ty) || (rm !== 4 && rm !== 8))
    throw new Error(`gemm ${name}: no register block for a ${plan.tileM}×${plan.tileN} tile`);
  return { rm, rn, tx, ty };
}

/** A size for a batch of `batch` rows. */
export const sizeOf = (d: GemmDim, batch: number) => (d === 'batch' ? batch : d);
/** A size in WGSL. */
export const dimension = (d: GemmDim) => (d === 'batch' ? 'step.batch' : `${d}u`);

/** How many tiles `spec` has along M and N, and parts along K, for a batch of `batch` rows. */
export function gemmTiles(
  spec: GemmSpec,
  batch: number,
): { readonly rows: number; readonly columns: number; readonly parts: number } {
  return {
    rows: Math.ceil(sizeOf(spec.m, batch) / spec.plan.tileM),
    columns: Math.ceil(sizeOf(spec.n, batch) / spec.plan.tileN),
    parts: spec.plan.parts,
  };
}

/** Workgroups a dispatch of `specs` (one shader) needs for a batch of `batch` rows. */
export function gemmWorkgroups(specs: readonly GemmSpec[], batch: number): number {
  return specs.reduce((sum, spec) => {
    const { rows, columns, parts } = gemmTiles(spec, batch);
    return sum + rows * columns * parts;
  }, 0);
}

/** WGSL: where element (m, n) of `part` of split product `spec`'s partial sums is, in `act`. */
export function partialAt(spec: GemmSpec, part: string): string {
  if (spec.partials === undefined) throw new Error(`gemm ${spec.name}: a split product needs partials`);
  return `${spec.partials.at}u + (${part} * ${spec.partials.rows}u + m) * ${dimension(spec.n)} + n`;
}
const range = (count: number) => Array.from({ length: count }, (_, i) => i);
const LANES = ['x', 'y', 'z', 'w'] as const;

/** The loaders (0 outside the matrices) and the store of one product. */
export function accessFunctions(spec: GemmSpec): string {
  const { name } = spec;
  const [M, N, K] = [dimension(spec.m), dimension(spec.n), dimension(spec.k)];
  return /* wgsl */ `
fn ${name}_loadA(m: u32, k: u32) -> f32 {
  if (m >= ${M} || k >= ${K}) { return 0.0; }
  ${spec.loadA}
}
fn ${name}_loadB(k: u32, n: u32) -> f32 {
  if (k >= ${K} || n >= ${N}) { return 0.0; }
  ${spec.loadB}
}
fn ${name}_store(m: u32, n: u32, v: f32) {
  ${spec.store}
}
`;
}

/**
 * The loop staging one K-slice of a matrix into `tiles` at vec4 `at`, k-major and vec4 along the
 * tile's other index t (rows of A, columns of B): element e of the loop is read so that
 * neighbouring invocations read neighbouring addresses (`contiguousK`: along K, else along t).
 */
function stage(
  at: number,
  width: number,
  contiguousK: boolean,
  load: (t: string, k: string) => string,
): string {
  const index = contiguousK
    ? `let kk = e % ${GEMM_TILE_K}u; let t = e / ${GEMM_TILE_K}u;`
    : `let t = e % ${width}u; let kk = e / ${width}u;`;
  return `    for (var e = lid; e < ${width * GEMM_TILE_K}u; e += ${GEMM_INVOCATIONS}u) {
      ${index}
      tiles[${at}u + kk * ${width / 4}u + t / 4u][t % 4u] = ${load('t', 'k0 + kk')};
    }`;
}

/**
 * The tile function of one product: stage, multiply-accumulate, then the tile of C through
 * workgroup memory (`tiles` again), so each output is stored from one loop — neighbouring
 * invocations storing neighbouring columns — and the store's WGSL appears once, not once per
 * accumulator. `b` is where B's slice starts in `tiles` (after the largest A slice).
 */
function tileFunction(spec: GemmSpec, b: number): string {
  const { name, plan } = spec;
  const { rm, rn, tx, ty } = blockOf(plan, name);
  const [mv, nv] = [plan.tileM / 4, plan.tileN / 4];
  const [M, N, K] = [dimension(spec.m), dimension(spec.n), dimension(spec.k)];
  const rowGroups = range(rm / 4);
  const columnGroups = range(rn / 4);
  const blocks = rowGroups.flatMap((i) =>
    range(4).flatMap((c) => columnGroups.map((j) => ({ acc: `acc${i}_${c}_${j}`, i, c, j }))),
  );
  const declare = blocks.map(({ acc }) => `  var ${acc} = vec4<f32>();`).join('\n');
  const loads = [
    ...rowGroups.map((i) => `      let a${i} = tiles[kk * ${mv}u + ty + ${ty * i}u];`),
    ...columnGroups.map((j) => `      let b${j} = tiles[${b}u + kk * ${nv}u + tx + ${tx * j}u];`),
  ].join('\n');
  const products = blocks.map(({ acc, i, c, j }) => `      ${acc} += a${i}.${LANES[c]} * b${j};`);
  const keep = blocks.map(
    ({ acc, i, c, j }) => `  tiles[(4u * (ty + ${ty * i}u) + ${c}u) * ${nv}u + tx + ${tx * j}u] = ${acc};`,
  );
  const out =
    plan.parts > 1
      ? `act[${partialAt(spec, 'part')}] = tiles[e / 4u][e % 4u];`
      : `${name}_store(m, n, tiles[e / 4u][e % 4u]);`;
  return /* wgsl */ `
fn ${name}_tile(tileRow: u32, tileColumn: u32, part: u32, lid: u32) {
  let tx = lid % ${tx}u;
  let ty = lid / ${tx}u;
  let rowBase = tileRow * ${plan.tileM}u;
  let columnBase = tileColumn * ${plan.tileN}u;
${declare}
  let kEnd = min(${K}, (part + 1u) * ${plan.partK}u);
  for (var k0 = part * ${plan.partK}u; k0 < kEnd; k0 += ${GEMM_TILE_K}u) {
${stage(0, plan.tileM, spec.contiguousA === 'k', (t, k) => `${name}_loadA(rowBase + ${t}, ${k})`)}
${stage(b, plan.tileN, spec.contiguousB === 'k', (t, k) => `${name}_loadB(${k}, columnBase + ${t})`)}
    workgroupBarrier();
    for (var kk = 0u; kk < ${GEMM_TILE_K}u; kk++) {
${loads}
${products.join('\n')}
    }
    workgroupBarrier();
  }
${keep.join('\n')}
  workgroupBarrier();
  for (var e = lid; e < ${plan.tileM * plan.tileN}u; e += ${GEMM_INVOCATIONS}u) {
    let m = rowBase + e / ${plan.tileN}u;
    let n = columnBase + e % ${plan.tileN}u;
    if (m < ${M} && n < ${N}) {
      ${out}
    }
  }
}
`;
}

/**
 * One compute shader (entry point `main`, {@link GEMM_INVOCATIONS} invocations) running the
 * products `specs`: the 1-D workgroup index is dealt out to them in order, each product's tiles
 * part-major, then row-major; then, with `extra`, one workgroup more runs its `call` (WGSL
 * statements with `lid` in scope; its `functions` are added to the shader). `header` declares the
 * bindings and helpers the loaders and stores use. Dispatch {@link gemmWorkgroups} workgroups
 * (one more with `extra`), along x or, past the device's per-dimension limit, in rows of x (the
 * index is `x + y·countX`; workgroups past the last do nothing).
 */
export function gemmShader(
  header: string,
  specs: readonly GemmSpec[],
  extra?: { readonly functions: string; readonly call: string },
): string {
  const tileM = Math.max(...specs.map((s) => s.plan.tileM));
  const tileN = Math.max(...specs.map((s) => s.plan.tileN));
  const floats = Math.max(GEMM_TILE_K * (tileM + tileN), ...specs.map((s) => s.plan.tileM * s.plan.tileN));
  const body = dealt(specs, (spec) => {
    const rows =
      spec.m === 'batch'
        ? `((step.batch + ${spec.plan.tileM - 1}u) / ${spec.plan.tileM}u)`
        : `${gemmTiles(spec, 1).rows}u`;
    const columns = `${gemmTiles(spec, 1).columns}u`;
    return {
      count: `${rows} * ${columns} * ${spec.plan.parts}u`,
      call: `let tiles = ${rows} * ${columns};
      let t = local % tiles;
      ${spec.name}_tile(t / ${columns}, t % ${columns}, local / tiles, lid);`,
    };
  });
  return /* wgsl */ `
${header}
/** A's slice, then B's; after the products, the tile of C. */
var<workgroup> tiles: array<vec4<f32>, ${floats / 4}>;
${specs.map((s) => accessFunctions(s) + tileFunction(s, (GEMM_TILE_K * tileM) / 4)).join('\n')}
${extra?.functions ?? ''}
@compute @workgroup_size(${GEMM_INVOCATIONS})
fn main(@builtin(workgroup_id) group: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let index = group.x + group.y * groups.x;
  var start = 0u;
  ${body}
  if (index == start) {
    ${extra?.call ?? ''}
  }
}
`;
}

/** WGSL dealing the workgroup index out to `specs` in order (each: how many, and what to run). */
export function dealt(
  specs: readonly GemmSpec[],
  part: (spec: GemmSpec) => { readonly count: string; readonly call: string },
): string {
  return specs
    .map((spec) => {
      const { count, call } = part(spec);
      return `
  {
    let count = ${count};
    if (index >= start && index < start + count) {
      let local = index - start;
      ${call}
      return;
    }
    start = start + count;
  }`;
    })
    .join('');
}
