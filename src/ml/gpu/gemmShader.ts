/**
 * Tiled matrix products in WGSL for the fused WebGPU engine: C[M, N] = A[M, K]·B[K, N], each
 * workgroup computing one TM×TN tile of C from K-slices of 16 staged in workgroup memory
 * (`16·(TM + TN)` floats ≤ 8 KiB, under WebGPU's default 16 KiB), 256 invocations (16×16, the
 * default limit), each accumulating RM×RN outputs strided by 16 rows and 16 columns (so
 * neighbouring invocations read neighbouring workgroup-memory words and write neighbouring
 * outputs). Any M, N, K work: loads outside the matrices read 0 and stores outside are skipped,
 * so odd widths, batch 1 and a batch that changes between steps need nothing else.
 *
 * What A and B are and what happens to each output is the caller's WGSL ({@link GemmSpec}): the
 * loaders read the layer input from the activations buffer or straight from the resident pixel
 * bytes (gather and normalisation fused into the product), B from the parameters or the
 * activations, transposed or not; the epilogue adds the bias, applies the activation and the
 * dropout mask, or the mask and act′, or stores a gradient. Several products may share one
 * dispatch ({@link gemmShader} with several specs): the workgroups are dealt out to them in order,
 * which is how the weight gradients of every layer are one dispatch.
 */

/** Rows of K staged per slice. */
const TILE_K = 16;
/** Invocations per workgroup side (16×16 = 256, WebGPU's default `maxComputeInvocationsPerWorkgroup`). */
const SIDE = 16;

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
  /** Tile rows (a multiple of 16; 64 unless said). */
  readonly tileM?: number;
  /** Tile columns (16, 32 or 64; {@link tileColumnsFor} picks from N). */
  readonly tileN?: number;
}

/** The narrowest tile width of 16, 32 or 64 that covers `n` columns (64 for wider ones). */
export function tileColumnsFor(n: GemmDim): number {
  if (n === 'batch') return 64;
  return n <= 16 ? 16 : n <= 32 ? 32 : 64;
}

/** How many tiles `spec` has along M and N for a batch of `batch` rows. */
export function gemmTiles(
  spec: GemmSpec,
  batch: number,
): { readonly rows: number; readonly columns: number } {
  const size = (d: GemmDim) => (d === 'batch' ? batch : d);
  const tileM = spec.tileM ?? 64;
  const tileN = spec.tileN ?? tileColumnsFor(spec.n);
  return { rows: Math.ceil(size(spec.m) / tileM), columns: Math.ceil(size(spec.n) / tileN) };
}

/** Workgroups a dispatch of `specs` (one shader) needs for a batch of `batch` rows. */
export function gemmWorkgroups(specs: readonly GemmSpec[], batch: number): number {
  return specs.reduce((sum, spec) => {
    const { rows, columns } = gemmTiles(spec, batch);
    return sum + rows * columns;
  }, 0);
}

const dimension = (d: GemmDim) => (d === 'batch' ? 'step.batch' : `${d}u`);

/** The WGSL functions of one product: its loaders, its store and its tile. */
function tileFunctions(spec: GemmSpec): string {
  const tileM = spec.tileM ?? 64;
  const tileN = spec.tileN ?? tileColumnsFor(spec.n);
  if (tileM % SIDE !== 0 || tileN % SIDE !== 0)
    throw new Error(`gemm ${spec.name}: tiles must be multiples of 16`);
  const rm = tileM / SIDE;
  const rn = tileN / SIDE;
  const { name } = spec;
  const [M, N, K] = [dimension(spec.m), dimension(spec.n), dimension(spec.k)];
  // Staging index e → (row, k) so consecutive invocations read consecutive addresses.
  const aIndex =
    spec.contiguousA === 'k'
      ? `let kk = e % ${TILE_K}u; let mm = e / ${TILE_K}u;`
      : `let mm = e % ${tileM}u; let kk = e / ${tileM}u;`;
  const bIndex =
    spec.contiguousB === 'n'
      ? `let nn = e % ${tileN}u; let kk = e / ${tileN}u;`
      : `let kk = e % ${TILE_K}u; let nn = e / ${TILE_K}u;`;
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
fn ${name}_tile(tileRow: u32, tileColumn: u32, lid: u32) {
  let tx = lid % ${SIDE}u;
  let ty = lid / ${SIDE}u;
  let rowBase = tileRow * ${tileM}u;
  let columnBase = tileColumn * ${tileN}u;
  var acc: array<f32, ${rm * rn}>;
  let slices = (${K} + ${TILE_K - 1}u) / ${TILE_K}u;
  for (var slice = 0u; slice < slices; slice++) {
    let k0 = slice * ${TILE_K}u;
    for (var i = 0u; i < ${rm}u; i++) {
      let e = lid + i * ${SIDE * SIDE}u;
      ${aIndex}
      tileA[kk * ${tileM}u + mm] = ${name}_loadA(rowBase + mm, k0 + kk);
    }
    for (var i = 0u; i < ${rn}u; i++) {
      let e = lid + i * ${SIDE * SIDE}u;
      ${bIndex}
      tileB[kk * ${tileN}u + nn] = ${name}_loadB(k0 + kk, columnBase + nn);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${TILE_K}u; kk++) {
      var a: array<f32, ${rm}>;
      var b: array<f32, ${rn}>;
      for (var i = 0u; i < ${rm}u; i++) { a[i] = tileA[kk * ${tileM}u + ty + ${SIDE}u * i]; }
      for (var j = 0u; j < ${rn}u; j++) { b[j] = tileB[kk * ${tileN}u + tx + ${SIDE}u * j]; }
      for (var i = 0u; i < ${rm}u; i++) {
        for (var j = 0u; j < ${rn}u; j++) {
          acc[i * ${rn}u + j] = acc[i * ${rn}u + j] + a[i] * b[j];
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < ${rm}u; i++) {
    for (var j = 0u; j < ${rn}u; j++) {
      let m = rowBase + ty + ${SIDE}u * i;
      let n = columnBase + tx + ${SIDE}u * j;
      if (m < ${M} && n < ${N}) { ${name}_store(m, n, acc[i * ${rn}u + j]); }
    }
  }
}
`;
}

/**
 * One compute shader (entry point `main`, workgroup 16×16) running the products `specs`: the
 * 1-D workgroup index is dealt out to them in order, each product's tiles row-major. `header`
 * declares the bindings and helpers the loaders and stores use. Dispatch
 * {@link gemmWorkgroups} workgroups, along x or, past the device's per-dimension limit, in rows of
 * x (the index is `x + y·countX`; workgroups past the last tile do nothing).
 */
export function gemmShader(header: string, specs: readonly GemmSpec[]): string {
  const tileM = Math.max(...specs.map((s) => s.tileM ?? 64));
  const tileN = Math.max(...specs.map((s) => s.tileN ?? tileColumnsFor(s.n)));
  // Tile counts along N are fixed; along M they may depend on the batch (a uniform).
  const branches = specs.map((spec) => {
    const rows =
      spec.m === 'batch'
        ? `((step.batch + ${(spec.tileM ?? 64) - 1}u) / ${spec.tileM ?? 64}u)`
        : `${gemmTiles(spec, 1).rows}u`;
    const columns = `${gemmTiles(spec, 1).columns}u`;
    return { spec, rows, columns };
  });
  let body = '';
  let start = '0u';
  for (const { spec, rows, columns } of branches) {
    body += `
  {
    let count = ${rows} * ${columns};
    if (index >= ${start} && index < ${start} + count) {
      let local = index - ${start};
      ${spec.name}_tile(local / ${columns}, local % ${columns}, lid);
      return;
    }
    start = ${start} + count;
  }`;
    start = 'start';
  }
  return /* wgsl */ `
${header}
var<workgroup> tileA: array<f32, ${TILE_K * tileM}>;
var<workgroup> tileB: array<f32, ${TILE_K * tileN}>;
${specs.map(tileFunctions).join('\n')}
@compute @workgroup_size(${SIDE}, ${SIDE})
fn main(@builtin(workgroup_id) group: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) lid: u32) {
  let index = group.x + group.y * groups.x;
  var start = 0u;
  ${body}
}
`;
}
