import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

/**
 * e2e runs against the production build served by `vite preview` on its own port (4399) (the same COOP/COEP headers as
 * dev). Chromium: $CHROMIUM_PATH if set, else the system /usr/bin/chromium if present, else
 * Playwright's own download (`npx playwright install chromium`, where the network allows it).
 */
const systemChromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const executablePath = existsSync(systemChromium) ? systemChromium : undefined;

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--enable-unsafe-webgpu',
  // Memory probes (e2e/soak.spec.ts, e2e/reliability.spec.ts): exact performance.memory values,
  // and performance.measureUserAgentSpecificMemory() answering at once instead of at the next GC.
  '--enable-precise-memory-info',
  '--enable-blink-features=ForceEagerMeasureMemory',
];

/**
 * `E2E_PORT` and `E2E_DIST` let several checkouts (or people) run e2e side by side on one machine:
 * a different port, and a build in another folder (`npx vite build --outDir $E2E_DIST`).
 */
const port = Number(process.env.E2E_PORT ?? 4399);
const outDir = process.env.E2E_DIST ? ` --outDir ${process.env.E2E_DIST}` : '';
/** The folder the preview server serves (e2e/offline.spec.ts deploys a new service worker there). */
export const SERVED_DIR = process.env.E2E_DIST ?? 'dist';

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    ...devices['Desktop Chrome'],
    viewport: { width: 1280, height: 900 },
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
    // The page registers its offline service worker once MNIST is in; a controlling service
    // worker would answer requests that page.route() means to intercept (faults, threads) and
    // precache the app beside timed and memory-measured runs. Specs about offline use and
    // security opt in with test.use({ serviceWorkers: 'allow' }).
    serviceWorkers: 'block',
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort${outDir}`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
