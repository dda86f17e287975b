import { expect, test } from '@playwright/test';
import { DEFAULT_CONFIG, type TrainingConfig } from '../src/core/config.ts';
import { encodeConfigToSearch } from '../src/core/urlCodec.ts';
import { Playground } from './playground.ts';

/**
 * The fused WebGPU engine trains for real: on `?backend=webgpu&engine=webgpu` (SwiftShader here,
 * software — this checks the WGSL, not GPU speed) a small seeded run reaches a test accuracy
 * within 1 point of the fused WebAssembly kernel's on the same seed, with dropout on so the
 * engines' shared dropout stream is exercised too. Same data, init, batches, masks and update
 * rules; only the GPU's summation order differs.
 */
const config: TrainingConfig = {
  ...DEFAULT_CONFIG,
  seed: 11,
  model: {
    ...DEFAULT_CONFIG.model,
    hiddenLayers: DEFAULT_CONFIG.model.hiddenLayers.map((layer) => ({ ...layer, dropout: 0.1 })),
  },
  training: { ...DEFAULT_CONFIG.training, epochs: 2, batchSize: 32 },
  data: { ...DEFAULT_CONFIG.data, trainingExamples: 2000, validationFraction: 0.05 },
};

async function trainAndReadAccuracy(app: Playground, query: string): Promise<number> {
  await app.open(encodeConfigToSearch(config, query));
  await app.button('Train').click();
  await expect(app.status).toHaveText('Finished — Epoch 2 / 2', { timeout: 110_000 });
  return app.testAccuracy();
}

test('the fused WebGPU engine trains to within 1 point of the fused WASM kernel on the same seed', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const app = new Playground(page);
  const gpu = await trainAndReadAccuracy(app, '?backend=webgpu&engine=webgpu');
  await expect(page.getByTestId('engine-in-use')).toHaveText('Using the fused WebGPU engine');
  await page.getByText('Details').click();
  await expect(page.getByTestId('details-engine')).toContainText('fused WebGPU');

  const wasm = await trainAndReadAccuracy(app, '?backend=wasm&engine=fused');
  await expect(page.getByTestId('engine-in-use')).toHaveText('Using the fused kernel');

  expect(gpu).toBeGreaterThan(80);
  expect(Math.abs(gpu - wasm)).toBeLessThanOrEqual(1);
  expect(app.consoleErrors).toEqual([]);
});
