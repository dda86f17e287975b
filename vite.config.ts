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

export default defineConfig({
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
    // The app, and the page `npm run bench` drives (it trains in the same worker).
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        bench: fileURLToPath(new URL('bench.html', import.meta.url)),
      },
    },
  },
  optimizeDeps: {
    // The WASM backend locates its .wasm files through setWasmPaths; pre-bundling keeps it intact.
    include: ['@tensorflow/tfjs-backend-wasm'],
  },
});
