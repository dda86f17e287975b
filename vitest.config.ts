import { existsSync } from 'node:fs';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { CHROMIUM_ARGS } from './playwright.config.ts';

const systemChromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Two projects: `node` runs every unit test in Node; `browser` runs `*.browser.test.ts` in real
 * headless Chromium (the system one, with the e2e flags, `--enable-unsafe-webgpu` included), for
 * code that needs a browser API Node lacks here: WebGPU (SwiftShader, software — correctness
 * only, never speed).
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    projects: [
      {
        test: {
          name: 'node',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['src/**/*.browser.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          // Node 20's V8 has relaxed SIMD behind a flag (Chromium ships it): lets the unit tests
          // check the relaxed-SIMD (FMA) build of the fused kernel as well as the plain SIMD one.
          execArgv: ['--experimental-wasm-relaxed-simd'],
        },
      },
      {
        test: {
          name: 'browser',
          include: ['src/**/*.browser.test.ts'],
          testTimeout: 120_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: {
                executablePath: existsSync(systemChromium) ? systemChromium : undefined,
                args: CHROMIUM_ARGS,
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
