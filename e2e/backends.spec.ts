import { expect, test } from '@playwright/test';
import { Playground } from './playground.ts';

/** Trains 1,000 examples for one epoch (seconds on every backend) and waits for the result. */
async function trainTinyRun(app: Playground): Promise<void> {
  await app.configure({
    'Training examples': '1000',
    'Batch size': '32',
    Epochs: '1',
    'Validation %': '1',
  });
  await app.button('Train').click();
  await expect(app.status).toHaveText('Finished — Epoch 1 / 1', { timeout: 90_000 });
}

/**
 * One smoke run per real backend, forced with `?backend=`. WebGL and WebGPU run in software
 * here (SwiftShader; WebGPU needs --enable-unsafe-webgpu, set in playwright.config.ts).
 */
for (const backend of ['wasm', 'cpu', 'webgl', 'webgpu'] as const) {
  test(`trains on the ${backend} backend`, async ({ page }) => {
    const app = new Playground(page);
    await app.open(`?backend=${backend}`);
    await expect(page.getByTestId('backend-in-use')).toHaveText(`Using ${backend}`);
    await trainTinyRun(app);
    expect(await app.testAccuracy()).toBeGreaterThan(75);
    expect(app.consoleErrors).toEqual([]);
  });
}

/** Both engines on WASM, picked in the UI: the fused kernel and TF.js ops train the same model. */
for (const [engine, label, inUse] of [
  ['fused', 'fused WebAssembly kernel', 'Using the fused kernel'],
  ['tfjs', 'TF.js ops', 'Using TF.js ops'],
] as const) {
  test(`trains with the ${engine} engine and says so`, async ({ page }) => {
    const app = new Playground(page);
    await app.open('?backend=wasm');
    await app.choose('Engine', label);
    await expect(page).toHaveURL(new RegExp(`engine=${engine}`));
    await trainTinyRun(app);
    await expect(page.getByTestId('engine-in-use')).toHaveText(inUse);
    await page.getByText('Details').click();
    await expect(page.getByTestId('details-engine')).toContainText(
      engine === 'fused' ? 'fused WebAssembly' : 'TF.js ops',
    );
    expect(await app.testAccuracy()).toBeGreaterThan(75);
    expect(app.consoleErrors).toEqual([]);
  });
}
