import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { Playground } from './playground.ts';

/**
 * **Export as PyTorch** (next to Export config) downloads the form's config as one Python
 * script; what the script says is unit-tested (`src/cli/pytorchScript*.test.ts`), here only that
 * the page writes it, under the config's name, for the config in the form.
 */

test('Export as PyTorch downloads the form’s config as a Python script', async ({ page }) => {
  const app = new Playground(page);
  await app.open();

  let download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export as PyTorch' }).click();
  let file = await download;
  expect(file.suggestedFilename()).toBe('mlp-config.py');
  let script = await readFile(await file.path(), 'utf8');
  expect(script).toMatch(/^#!\/usr\/bin\/env python3\n/);
  expect(script).toContain('        nn.Linear(784, 128),\n        nn.ReLU(),\n        nn.Linear(128, 64),');
  expect(script).toContain('SEED = 42\n');
  await expect(page.getByText('Saved mlp-config.py: run it with python3 mlp-config.py')).toBeVisible();

  const label = (await app.field('Preset').locator('option').allTextContents()).find((text) =>
    text.startsWith('MLP 784-250-100-10'),
  );
  expect(label, 'the 784-250-100-10 notebook preset is listed').toBeDefined();
  await app.field('Preset').selectOption({ label: label ?? '' });
  download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export as PyTorch' }).click();
  file = await download;
  expect(file.suggestedFilename()).toBe('MLP-784-250-100-10-ReLU-Adam-1e-3-standardized-inputs-10-epochs.py');
  script = await readFile(await file.path(), 'utf8');
  expect(script).toContain('nn.Linear(784, 250),');
  expect(script).toContain("nn.Linear's own default is the config's");
  expect(script).toContain('NORMALIZATION = "standardize"');
});
