import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import type { BackendChoice } from '../core/backends.ts';
import { selectBackend } from '../ml/backend.ts';
import type { BackendInfo } from './protocol.ts';
import { locateBundledWasm } from './wasmBinaries.ts';

/**
 * Registers every TF.js backend in the worker and brings one up. WASM binaries come from the
 * app's own origin (Vite-hashed assets), never a CDN. In `auto` mode, GPU backends that run on a
 * software rasteriser are skipped: on a machine without a GPU, SwiftShader WebGL/WebGPU is many
 * times slower than WASM, so "first that works" would pick the slowest.
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

async function webgpuSoftwareReason(): Promise<string | null> {
  const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
  if (gpu === undefined) return 'this browser has no WebGPU';
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) return 'no WebGPU adapter is available';
  const info = adapter.info ?? {};
  const text = `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.description ?? ''}`;
  if (info.isFallbackAdapter === true || adapter.isFallbackAdapter === true || SOFTWARE_RENDERER.test(text)) {
    return `its adapter is a software fallback (${text.trim() || 'fallback'}), slower than WASM`;
  }
  return null;
}

function webglSoftwareReason(): string | null {
  if (typeof OffscreenCanvas === 'undefined') return null;
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (gl === null) return null;
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return SOFTWARE_RENDERER.test(renderer) ? `it renders in software (${renderer}), slower than WASM` : null;
}

export async function bringUpBackend(choice: BackendChoice): Promise<BackendInfo> {
  const selection = await selectBackend(choice, {
    skipReason: async (name) => {
      try {
        if (name === 'webgpu') return await webgpuSoftwareReason();
        if (name === 'webgl') return webglSoftwareReason();
      } catch {
        // A probe that throws says nothing about speed; let the real attempt decide.
      }
      return null;
    },
  });
  return {
    name: selection.name,
    crossOriginIsolated,
    threads: selection.name === 'wasm' ? getThreadsCount() : 1,
    notes: selection.notes,
  };
}
