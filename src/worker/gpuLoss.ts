import * as tf from '@tensorflow/tfjs-core';

/**
 * WebGL context loss: a GPU reset, a driver update or too much GPU memory in use takes the
 * WebGL backend's context away mid-run, and every tensor on it with it. The worker watches for it
 * (to stop the run and say so) and can cause it on request, so tests and demos can show what
 * happens without a real GPU fault.
 */

/** The parts of a WebGL context this needs (its canvas is an OffscreenCanvas in a worker). */
interface GlContextLike {
  readonly canvas?: EventTarget;
  getExtension(name: 'WEBGL_lose_context'): { loseContext(): void } | null;
}

interface WebGlBackendLike {
  readonly gpgpu?: { readonly gl?: GlContextLike };
}

/** The WebGL backend's context, or null when another backend is active. */
function webglContext(): GlContextLike | null {
  if (tf.getBackend() !== 'webgl') return null;
  return (tf.backend() as unknown as WebGlBackendLike).gpgpu?.gl ?? null;
}

const watched = new WeakSet<object>();

/** Calls `onLost` once if the active WebGL backend's context is lost; nothing on other backends. */
export function watchWebglContextLoss(onLost: () => void): void {
  const gl = webglContext();
  const canvas = gl?.canvas;
  if (canvas === undefined || watched.has(canvas)) return;
  watched.add(canvas);
  canvas.addEventListener('webglcontextlost', (event: Event) => {
    event.preventDefault();
    onLost();
  });
}

/** Makes the GPU drop the WebGL context (WEBGL_lose_context); false when there is none to lose. */
export function loseWebglContext(): boolean {
  const extension = webglContext()?.getExtension('WEBGL_lose_context');
  if (!extension) return false;
  extension.loseContext();
  return true;
}
