import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { contentSecurityPolicyPlugin } from './scripts/contentSecurityPolicy.ts';
import { mnistPlugin } from './scripts/mnistPlugin.ts';

/**
 * Cross-origin isolation (COOP + COEP) on both servers lets TF.js WASM use threads
 * (SharedArrayBuffer); without it TF.js silently falls back to the single-thread build. The
 * Content-Security-Policy comes from contentSecurityPolicyPlugin (header and built `<meta>`).
 */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * `vite build --mode bench` (what `npm run bench` runs) builds the bench page beside the app into
 * its own folder, and `vite preview --mode bench` serves that folder. A plain `vite build` builds
 * only the app, so the bench page never ships in the build users download.
 */
export const BENCH_MODE = 'bench';
export const BENCH_OUT_DIR = 'dist-bench';

const page = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export default defineConfig(({ mode }) => ({
  plugins: [react(), mnistPlugin(), contentSecurityPolicyPlugin()],
  server: { headers: isolationHeaders, port: 5173 },
  preview: { headers: isolationHeaders, port: 4173 },
  worker: {
    format: 'es',
    // TF.js WASM starts its pthreads from the *source text* of its Emscripten factory
    // (`factory.toString()` in a Blob); minifying renames variables that text needs, and the
    // threads die with "e is not defined". The worker is served compressed, so this costs little.
    rolldownOptions: { output: { minify: false } },
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    // The bench: the app (for its time-to-98% run) and the page that trains in the same worker.
    ...(mode === BENCH_MODE
      ? {
          outDir: BENCH_OUT_DIR,
          rolldownOptions: { input: { main: page('index.html'), bench: page('bench.html') } },
        }
      : {}),
  },
  optimizeDeps: {
    // The WASM backend locates its .wasm files through setWasmPaths; pre-bundling keeps it intact.
    include: ['@tensorflow/tfjs-backend-wasm'],
  },
}));
