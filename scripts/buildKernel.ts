/**
 * Compiles the AssemblyScript kernel (kernels/mlp.ts and the files it re-exports) to WebAssembly
 * and writes what the TypeScript side needs: the four builds, base64, in
 * src/ml/fused/kernelBinary.ts (so the browser worker, the Node CLI and Vitest load them the same
 * way, with no loader or fetch), and the bindings in src/core/kernelBindings.ts (typed exports,
 * activation and loss codes, heap base; see scripts/kernelBindings.ts). The builds are plain SIMD
 * and relaxed SIMD (FMA), each importing either a shared memory (threads: every worker of the
 * pool instantiates the module on the same memory) or an unshared one (where shared memory cannot
 * be made). `npm run build:kernel`; `--check` exits 1 when either file is not what the source
 * builds to (the unit tests check the same).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';
import { kernelBindingsText } from './kernelBindings.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = `${root}kernels/mlp.ts`;
/** Every kernel source file, concatenated: where the bindings find doc comments and codes. */
function kernelSources(): string {
  return readdirSync(`${root}kernels`)
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => readFileSync(`${root}kernels/${name}`, 'utf8'))
    .join('\n');
}
/** The generated files, relative to the repository root. */
export const BINARY_FILE = 'src/ml/fused/kernelBinary.ts';
export const BINDINGS_FILE = 'src/core/kernelBindings.ts';

/** The compiler flags; `--use abort=` drops the host `abort` import, so the module imports nothing. */
export const KERNEL_FLAGS = [
  '-O3',
  '--runtime',
  'stub',
  '--noAssert',
  '--use',
  'abort=',
  '--initialMemory',
  '1',
  // The engine makes the memory (sized to the run's layout) and passes it in.
  '--importMemory',
  '--enable',
  'simd',
  // asc's TypeScript declarations of the exports (they do not change the binary).
  '--bindings',
  'raw',
];

/** One compiled build: the module and asc's declarations of its exports. */
export interface CompiledKernelBuild {
  readonly binary: Uint8Array;
  readonly declarations: string;
}

/** The largest shared memory a build accepts: 4 GiB, all of wasm32 (an import may be smaller). */
const SHARED_MAXIMUM_PAGES = '65536';

/**
 * Compiles kernels/mlp.ts; `relaxed` adds the relaxed-SIMD feature (FMA in the products),
 * `shared` makes the imported memory shared (threads).
 */
export async function compileKernel(relaxed: boolean, shared: boolean): Promise<CompiledKernelBuild> {
  let binary: Uint8Array | null = null;
  let declarations: string | null = null;
  const flags = [
    ...KERNEL_FLAGS,
    ...(relaxed ? ['--enable', 'relaxed-simd'] : []),
    ...(shared ? ['--enable', 'threads', '--sharedMemory', '--maximumMemory', SHARED_MAXIMUM_PAGES] : []),
  ];
  const { error, stderr } = await asc.main([source, '--outFile', 'mlp.wasm', ...flags], {
    writeFile(name: string, contents: Uint8Array | string) {
      if (name.endsWith('.wasm') && typeof contents !== 'string') binary = contents;
      if (name.endsWith('.d.ts')) declarations = String(contents);
    },
  });
  if (error) throw new Error(`asc failed: ${error.message}\n${stderr.toString()}`);
  if (binary === null || declarations === null) throw new Error('asc produced no binary or declarations');
  return { binary, declarations };
}

type WasmApi = {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: { heapBase(): number } };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => object;
};

/**
 * The module's `__heap_base`, from a throwaway instance on a fresh memory; null where this Node
 * cannot compile the build (relaxed SIMD needs a V8 flag on Node 20).
 */
function heapBaseOf(binary: Uint8Array, shared: boolean): number | null {
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  if (!wasm.validate(binary)) return null;
  const memory = new wasm.Memory({ initial: 1, maximum: 1, shared });
  return new wasm.Instance(new wasm.Module(binary), { env: { memory } }).exports.heapBase();
}

function constant(name: string, doc: string, binary: Uint8Array): string[] {
  const lines =
    Buffer.from(binary)
      .toString('base64')
      .match(/.{1,100}/g) ?? [];
  return [
    `/** ${doc} */`,
    `export const ${name} =`,
    ...lines.map((line, i) => `  '${line}'${i === lines.length - 1 ? ';' : ' +'}`),
  ];
}

/** The four builds, by their constant's name in the generated file, with its doc. */
const BUILDS = [
  {
    name: 'KERNEL_SIMD_BASE64',
    relaxed: false,
    shared: false,
    doc: 'The fused MLP kernel, WebAssembly SIMD, unshared memory, base64.',
  },
  {
    name: 'KERNEL_RELAXED_BASE64',
    relaxed: true,
    shared: false,
    doc: 'The same kernel with relaxed SIMD (fused multiply-add), unshared memory, base64.',
  },
  {
    name: 'KERNEL_SIMD_SHARED_BASE64',
    relaxed: false,
    shared: true,
    doc: 'WebAssembly SIMD on a shared memory (threads), base64.',
  },
  {
    name: 'KERNEL_RELAXED_SHARED_BASE64',
    relaxed: true,
    shared: true,
    doc: 'Relaxed SIMD on a shared memory (threads), base64.',
  },
] as const;

export function kernelModuleText(binaries: readonly Uint8Array[]): string {
  return [
    '// Generated by scripts/buildKernel.ts from kernels/*.ts: do not edit. `npm run build:kernel`.',
    ...BUILDS.flatMap((build, i) => constant(build.name, build.doc, binaries[i] ?? new Uint8Array())),
    '',
  ].join('\n');
}

/** Every build, and the text each generated file must have: `{ [path]: text }`. */
export async function buildKernelFiles(): Promise<Record<string, string>> {
  const builds = await Promise.all(BUILDS.map((b) => compileKernel(b.relaxed, b.shared)));
  const heapBases = builds.map((build, i) => heapBaseOf(build.binary, BUILDS[i]?.shared ?? false));
  const heapBase = heapBases[0];
  if (heapBase === null || heapBase === undefined) throw new Error('this Node cannot run WebAssembly SIMD');
  if (heapBases.some((base) => base !== null && base !== heapBase))
    throw new Error('the kernel builds differ in heap base');
  const declarations = builds[0]?.declarations ?? '';
  if (builds.some((build) => build.declarations !== declarations))
    throw new Error('the kernel builds differ in exports');
  return {
    [BINARY_FILE]: kernelModuleText(builds.map((build) => build.binary)),
    [BINDINGS_FILE]: kernelBindingsText(kernelSources(), declarations, heapBase),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = await buildKernelFiles();
  const check = process.argv.includes('--check');
  let stale = false;
  for (const [file, text] of Object.entries(files)) {
    if (!check) {
      writeFileSync(`${root}${file}`, text);
      console.log(`wrote ${file}`);
    } else if (readFileSync(`${root}${file}`, 'utf8') !== text) {
      console.error(`${file} is stale: run \`npm run build:kernel\``);
      stale = true;
    }
  }
  if (stale) process.exit(1);
  if (check) console.log('kernel binary and bindings are up to date');
}
