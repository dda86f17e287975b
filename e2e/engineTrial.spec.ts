import { expect, test } from '@playwright/test';
import { DEFAULT_CONFIG, type TrainingConfig } from '../src/core/config.ts';
import { encodeConfigToSearch } from '../src/core/urlCodec.ts';
import { Playground } from './playground.ts';

/**
 * The measuring `auto`: at Train it times every engine on every backend that runs here and keeps
 * the fastest. This machine has no GPU (WebGPU and WebGL are SwiftShader, software), so auto must
 * land on the fused WebAssembly kernel by measuring, with the software GPU candidates measured
 * (or cut) beside it in Details; the choice is kept for the next run of the same shape, "Measure
 * again" forgets it, and a forced engine is never measured.
 */

/** The default model for 300 epochs: long enough that the trial may spend its whole budget. */
const long: TrainingConfig = {
  ...DEFAULT_CONFIG,
  training: { ...DEFAULT_CONFIG.training, epochs: 300 },
};
/** Same shape, 2,000 examples once: too short to measure at all. */
const brief: TrainingConfig = {
  ...DEFAULT_CONFIG,
  training: { ...DEFAULT_CONFIG.training, epochs: 1 },
  data: { ...DEFAULT_CONFIG.data, trainingExamples: 2000 },
};

test('auto measures every candidate, lands on the fused WASM kernel, keeps the choice, and measures again on request', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const app = new Playground(page);
  await app.open(encodeConfigToSearch(long));
  await page.getByText('Details').click();
  const engine = page.getByTestId('details-engine');
  const rates = page.getByTestId('details-engine-trial');

  await app.button('Train').click();
  await expect(app.status).toContainText('Training — Epoch', { timeout: 90_000 });
  await expect(engine).toHaveText('fused WebAssembly kernel: measured fastest here');
  await expect(page.getByTestId('engine-in-use')).toHaveText('Using the fused kernel');
  await expect(page.getByTestId('backend-in-use')).toHaveText('Using wasm');
  // Fastest first: the fused kernel's rate, then the others. TF.js on wasm is always timed; the
  // software GPU ones first compile their shaders (seconds here), so each is timed or cut at its
  // 3 s cap, and the last may find the trial's 12 s spent. Every one is listed.
  await expect(rates).toContainText(/^fused WASM \(1 thread\) [\d,]+ ex\/s · /);
  await expect(rates).toContainText(/TF\.js ops on wasm [\d,]+ ex\/s/);
  await expect(rates).toContainText(/fused WebGPU \(software\)( [\d,]+ ex\/s|: still starting after)/);
  await expect(rates).toContainText(/TF\.js ops on webgl \(software\)( [\d,]+ ex\/s|: still starting after)/);
  await expect(rates).toContainText('TF.js ops on webgpu (software)');
  test.info().annotations.push({ type: 'measured', description: (await rates.textContent()) ?? '' });
  await app.button('Stop').click();
  await expect(app.status).toContainText('Stopped');

  // The same shape again: the kept choice, without measuring.
  await app.button('Train').click();
  await expect(engine).toHaveText(
    /^fused WebAssembly kernel: fastest in a measurement on \d{4}-\d\d-\d\d, kept for this device and model shape$/,
  );
  await app.button('Stop').click();
  await expect(app.status).toContainText('Stopped');

  // Measure again: the next run of that shape measures (a short budget: the GPU ones get no time).
  await page.getByRole('button', { name: 'Measure again' }).click();
  await expect(rates).toContainText('The next Train measures the engines again.');
  await app.configure({ Epochs: '2' });
  await app.button('Train').click();
  await expect(engine).toHaveText('fused WebAssembly kernel: measured fastest here');
  await expect(rates).toContainText('not measured');
  await app.button('Stop').click();
  expect(app.consoleErrors).toEqual([]);
});

test('a forced engine is not measured, and a run too short to measure takes the fused kernel', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.open(`${encodeConfigToSearch(brief)}&engine=tfjs`);
  await page.getByText('Details').click();
  await app.button('Train').click();
  await expect(app.status).toHaveText('Finished — Epoch 1 / 1');
  await expect(page.getByTestId('details-engine')).toHaveText('TF.js ops, as chosen');
  await expect(page.getByTestId('details-engine-trial')).toHaveCount(0);

  await app.choose('Engine', 'auto (measures which is fastest here)');
  await app.button('Train').click();
  await expect(app.status).toHaveText('Finished — Epoch 1 / 1');
  await expect(page.getByTestId('details-engine')).toHaveText(
    /^fused WebAssembly kernel: not measured, a short run \(16 steps\) is not worth measuring/,
  );
  await expect(page.getByTestId('details-engine-trial')).toHaveCount(0);
  expect(app.consoleErrors).toEqual([]);
});
