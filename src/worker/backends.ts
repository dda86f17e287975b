import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import type { BackendChoice, BackendName } from '../core/backends.ts';
import { browserVersion, type DeviceDescription } from '../core/engineTrialKey.ts';
import { selectBackend } from '../ml/backend.ts';
import type { BackendInfo } from './protocol.ts';
import { locateBundledWasm } from './wasmBinaries.ts';

/**
 * Registers every TF.js backend in the worker and brings one up. WASM binaries come from the
 * app's own origin (Vite-hashed assets), never a CDN. In `auto` mode, a GPU backend whose adapter
 * or renderer names itself software (SwiftShader, llvmpipe) is brought up last: an ordering
 * hint for where the page starts, not a verdict — at Train, `auto` measures every engine on every
 * backend (`core/engineTrial.ts`), software ones included, and keeps the fastest. The same probes
 * describe the device for the trial's cache key.
 */

locateBundledWasm();

// TF.js's default thread count (-1) leaves XNNPACK on one thread here; ask for one per core.
// Threads need cross-origin isolation; without it TF.js loads the single-thread build anyway.
if (crossOriginIsolated) setThreadsCount(Math.max(1, navigator.hardwareConcurrency || 1));

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

interface GpuAdapterLike {
  readonly info?: {
    vendor?: string;
    architecture?: string;
    description?: string;
    isFallbackAdapter?: boolean;
  };
  readonly isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

/** What the probes found of one GPU backend: its adapter or renderer in words, and whether it is software. */
interface GpuProbe {
  readonly text: string;
  readonly software: boolean;
}

async function probeWebgpu(): Promise<GpuProbe | null> {
  const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
  if (gpu === undefined) return null;
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) return null;
  const info = adapter.info ?? {};
  const text = [info.vendor, info.architecture, info.description].filter((part) => part).join(' / ');
  const fallback = info.isFallbackAdapter === true || adapter.isFallbackAdapter === true;
  return {
    text: text || (fallback ? 'fallback adapter' : 'unnamed adapter'),
    software: fallback || SOFTWARE_RENDERER.test(text),
  };
}

function probeWebgl(): GpuProbe | null {
  if (typeof OffscreenCanvas === 'undefined') return null;
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (gl === null) return null;
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { text: renderer, software: SOFTWARE_RENDERER.test(renderer) };
}

/** A probe that throws says nothing; the real attempt (or the trial) decides. */
async function quietly<T>(probe: () => Promise<T | null> | T | null): Promise<T | null> {
  try {
    return await probe();
  } catch {
    return null;
  }
}

let probes: Promise<{ readonly webgpu: GpuProbe | null; readonly webgl: GpuProbe | null }> | null = null;
/** The GPU backends' adapter and renderer, probed once per worker (they do not change). */
const gpuProbes = () =>
  (probes ??= Promise.all([quietly(probeWebgpu), quietly(probeWebgl)]).then(([webgpu, webgl]) => ({
    webgpu,
    webgl,
  })));

/** GPU backends whose adapter or renderer names itself software: measured last by the trial. */
export async function softwareBackends(): Promise<ReadonlySet<BackendName>> {
  const { webgpu, webgl } = await gpuProbes();
  return new Set<BackendName>([
    ...(webgpu?.software === true ? (['webgpu'] as const) : []),
    ...(webgl?.software === true ? (['webgl'] as const) : []),
  ]);
}

/** This device as the engine trial's cache key sees it (see `engineTrialKey`). */
export async function describeDevice(): Promise<DeviceDescription> {
  const { webgpu, webgl } = await gpuProbes();
  return {
    gpuAdapter: webgpu?.text ?? 'none',
    webglRenderer: webgl?.text ?? 'none',
    cores: navigator.hardwareConcurrency || 1,
    browser: browserVersion(navigator.userAgent),
    crossOriginIsolated,
  };
}

export async function bringUpBackend(choice: BackendChoice): Promise<BackendInfo> {
  const selection = await selectBackend(choice, {
    deferReason: async (name) => {
      if (name !== 'webgpu' && name !== 'webgl') return null;
      const probe = (await gpuProbes())[name];
      return probe?.software === true
        ? `tried last, its ${name === 'webgpu' ? 'adapter' : 'renderer'} is software (${probe.text}); Train's auto measures it with the engines`
        : null;
    },
  });
  return {
    name: selection.name,
    crossOriginIsolated,
    threads: selection.name === 'wasm' ? getThreadsCount() : 1,
    notes: selection.notes,
  };
}
