import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { compressedAssetsPlugin } from './scripts/compressedAssets.ts';
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

/**
 * Offline and installable: a web app manifest and a Workbox service worker (`sw.js`) that
 * precaches the app shell — the HTML, every script (the workers too), the CSS, every `.wasm`, the
 * manifest and its icons (about 7 MB; the trainer worker alone is 3.4 MB, hence the size limit).
 * Not MNIST (`mnist/`): the worker keeps the data in Cache Storage as it downloads it, so a first
 * visit fetches it once. `registerType: 'prompt'`: a new deployment waits until the person presses
 * Update (src/ui/pwa/); the page registers the worker itself once MNIST is in (`injectRegister:
 * false`; an injected script would also be inline, which the policy forbids). `clientsClaim`
 * lets the first install control the open page, so it works offline without a reload; a later
 * version only ever takes over after Update. Cached responses keep their headers, so the page
 * stays cross-origin isolated and under its policy offline. Not in the bench build.
 */
const offlineSupport = (mode: string) =>
  VitePWA({
    disable: mode === BENCH_MODE,
    registerType: 'prompt',
    injectRegister: false,
    // The glob below already takes every icon.
    includeManifestIcons: false,
    manifest: {
      name: 'MLP Playground',
      short_name: 'MLP Playground',
      description: 'Train a multi-layer perceptron on real MNIST in your browser and watch it learn.',
      theme_color: '#0072b2',
      background_color: '#f6f7f9',
      display: 'standalone',
      icons: [
        { src: 'pwa-192.png', sizes: '192x192', type: 'image/png' },
        { src: 'pwa-512.png', sizes: '512x512', type: 'image/png' },
        { src: 'pwa-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      ],
    },
    workbox: {
      // The plugin adds the manifest itself.
      globPatterns: ['**/*.{html,js,css,wasm,svg,png}'],
      globIgnores: ['mnist/**'],
      maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
      clientsClaim: true,
      // Any navigation (`/?config=…` included) gets the cached page, except to the data files.
      navigateFallbackDenylist: [/^\/mnist\//],
    },
  });

export default defineConfig(({ mode }) => ({
  plugins: [
    react(),
    mnistPlugin(),
    contentSecurityPolicyPlugin(),
    compressedAssetsPlugin(),
    offlineSupport(mode),
  ],
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
