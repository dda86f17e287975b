import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { DEFAULT_CONFIG, type TrainingConfig } from '../src/core/config.ts';
import { encodeConfigToSearch } from '../src/core/urlCodec.ts';
import { load, models, saveModel, savedAccuracy, savedRow as row } from './modelsPanel.ts';
import { Playground } from './playground.ts';

/** A brief, seeded run: 2,000 training examples for one epoch. */
const brief: TrainingConfig = {
  ...DEFAULT_CONFIG,
  seed: 11,
  training: { ...DEFAULT_CONFIG.training, epochs: 1 },
  data: { ...DEFAULT_CONFIG.data, trainingExamples: 2000 },
};

test('saves a trained model, loads it after a reload with the same test accuracy, downloads, uploads and continues it', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.open(encodeConfigToSearch(brief));
  await app.button('Train').click();
  await expect(app.status).toHaveText('Finished — Epoch 1 / 1');
  const noted = await app.testAccuracy();

  // Save under a name; the list shows it with the run's test accuracy.
  await saveModel(page, 'e2e digits');
  await expect(row(page, 'e2e digits')).toContainText('784-128-64-10');
  const saved = await savedAccuracy(page, 'e2e digits');
  expect((saved * 100).toFixed(1)).toBe(noted.toFixed(1));

  // A reload keeps it; loading it evaluates it again, to the same accuracy.
  await page.reload();
  await expect(app.status).toHaveText('Ready — press Train');
  const evaluated = await load(page, 'e2e digits');
  expect(evaluated).toBe(saved);
  expect((evaluated * 100).toFixed(1)).toBe(noted.toFixed(1));

  // The drawing pad answers with the loaded model.
  await app.field('Test image').fill('5');
  await expect(page.getByTestId('prediction')).toBeVisible();
  await expect(page.getByText('Weights of the loaded model (saved at epoch 1).')).toBeVisible();

  // Download the file and upload it back: listed under a fresh name, and loadable.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    models(page).getByRole('button', { name: 'Download e2e digits', exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('e2e-digits.model.json');
  const file = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(file);
  await models(page).getByLabel('Upload model file').setInputFiles(file);
  await expect(page.getByTestId('models-status')).toContainText(
    'Added e2e digits (2) from e2e-digits.model.json.',
  );
  expect(await load(page, 'e2e digits (2)')).toBe(saved);

  // A corrupt file (truncated weights) gets a clear message and changes nothing.
  const text = await readFile(file, 'utf8');
  const corrupt = JSON.parse(text) as { parameters: { data: string }[] };
  const tensor = corrupt.parameters[2] as { data: string };
  tensor.data = tensor.data.slice(0, 400);
  await models(page)
    .getByLabel('Upload model file')
    .setInputFiles({
      name: 'broken.model.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(corrupt)),
    });
  await expect(models(page).getByRole('alert')).toHaveText(
    /^broken\.model\.json: dense1\.kernel has 300 bytes but 128×64 float32 values need 32,768: the weights are truncated or corrupt\. Nothing was changed\.$/,
  );
  await expect(models(page).getByTestId('saved-model')).toHaveCount(2);

  // Continue training needs the same layers; with them it runs to the end.
  await app.layer(1).getByLabel('Units').fill('100');
  await models(page).getByRole('button', { name: 'Continue training' }).click();
  await expect(models(page).getByRole('alert')).toContainText(
    "Continue training needs the loaded model's layers (784-128-64-10); the form has 784-100-64-10",
  );
  await app.layer(1).getByLabel('Units').fill('128');
  await models(page).getByRole('button', { name: 'Continue training' }).click();
  await expect(app.status).toHaveText('Finished — Epoch 1 / 1');
  expect(await app.testAccuracy()).toBeGreaterThan(50);

  // Delete asks inline first.
  await models(page).getByRole('button', { name: 'Delete e2e digits (2)', exact: true }).click();
  const confirm = models(page).getByRole('group', { name: 'Delete e2e digits (2)?' });
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(models(page).getByTestId('saved-model')).toHaveCount(1);
  expect(app.consoleErrors).toEqual([]);
});
