import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    // Node 20's V8 has relaxed SIMD behind a flag (Chromium ships it): lets the unit tests check
    // the relaxed-SIMD (FMA) build of the fused kernel as well as the plain SIMD one.
    execArgv: ['--experimental-wasm-relaxed-simd'],
  },
});
