import { stat } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Download, type Page } from '@playwright/test';
import { DEFAULT_CONFIG, type TrainingConfig } from '../src/core/config.ts';
import { encodeConfigToSearch } from '../src/core/urlCodec.ts';
import { load, models, saveModel, savedAccuracy } from './modelsPanel.ts';
import { Playground } from './playground.ts';

/** A brief, seeded run: 2,000 training examples for one epoch, 784-128-64-10. */
const brief: TrainingConfig = {
  ...DEFAULT_CONFIG,
  seed: 17,
  training: { ...DEFAULT_CONFIG.training, epochs: 1 },
  data: { ...DEFAULT_CONFIG.data, trainingExamples: 2000 },
};

/** float32 bytes of 784-128-64-10's kernels and biases. */
const WEIGHT_BYTES = 4 * (784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10);

/** Clicks the row's Download with `format` picked; waits for `count` downloads and saves them. */
async function downloadAs(
  page: Page,
  format: string,
  count: number,
): Promise<{ name: string; path: string }[]> {
  await models(page).getByLabel('Download as').selectOption({ label: format });
  const downloads: Download[] = [];
  const collect = (download: Download) => downloads.push(download);
  page.on('download', collect);
  await models(page).getByRole('button', { name: 'Download e2e export', exact: true }).click();
  await expect.poll(() => downloads.length).toBe(count);
  page.off('download', collect);
  return Promise.all(
    downloads.map(async (download) => {
      const path = test.info().outputPath(download.suggestedFilename());
      await download.saveAs(path);
      return { name: download.suggestedFilename(), path };
    }),
  );
}

test('downloads a saved model as TF.js, ONNX and PyTorch, and uploads the TF.js files back to the same accuracy', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.open(encodeConfigToSearch(brief));
  await app.button('Train').click();
  await expect(app.status).toHaveText('Finished — Epoch 1 / 1');
  await saveModel(page, 'e2e export');
  const saved = await savedAccuracy(page, 'e2e export');

  // The format picker is labelled, explains the picked format, and the panel passes axe.
  const picker = models(page).getByLabel('Download as');
  await picker.selectOption({ label: 'TensorFlow.js (model.json + weights)' });
  await expect(picker).toHaveAccessibleDescription(/tf\.loadLayersModel loads/);
  const axe = new AxeBuilder({ page }).include('.models-panel').withTags(['wcag2a', 'wcag2aa', 'wcag21aa']);
  const { violations } = await axe.analyze();
  expect(
    violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
  ).toEqual([]);

  // TF.js: model.json and its weights, two downloads.
  const tfjs = await downloadAs(page, 'TensorFlow.js (model.json + weights)', 2);
  expect(tfjs.map((f) => f.name).sort()).toEqual(['e2e-export.tfjs.json', 'e2e-export.weights.bin']);
  const bin = tfjs.find((f) => f.name.endsWith('.bin'));
  expect((await stat(bin?.path ?? '')).size).toBe(WEIGHT_BYTES);
  await expect(page.getByTestId('models-status')).toContainText(
    'Downloaded e2e-export.tfjs.json and e2e-export.weights.bin.',
  );

  // Both files chosen together come back as the same model: its exact record, the same accuracy.
  await models(page)
    .getByLabel('Upload model file')
    .setInputFiles(tfjs.map((f) => f.path));
  await expect(page.getByTestId('models-status')).toContainText('Added e2e export (2) from e2e-export.');
  expect(await load(page, 'e2e export (2)')).toBe(saved);

  // The weights file alone is not enough, and says so.
  await models(page)
    .getByLabel('Upload model file')
    .setInputFiles(bin?.path ?? '');
  await expect(models(page).getByRole('alert')).toHaveText(
    'Choose a model file (.json). e2e-export.weights.bin can only come together with its model.json. Nothing was changed.',
  );

  // ONNX: one file holding the weights; PyTorch: one script.
  const [onnx] = await downloadAs(page, 'ONNX (.onnx)', 1);
  expect(onnx?.name).toBe('e2e-export.onnx');
  expect((await stat(onnx?.path ?? '')).size).toBeGreaterThan(WEIGHT_BYTES);
  const [script] = await downloadAs(page, 'PyTorch script (.py)', 1);
  expect(script?.name).toBe('e2e-export.py');
  expect((await stat(script?.path ?? '')).size).toBeGreaterThan(1000);
  expect(app.consoleErrors).toEqual([]);
});
