import { expect, test } from '@playwright/test';
import { DEFAULT_CONFIG, type TrainingConfig } from '../src/core/config.ts';
import { encodeConfigToSearch } from '../src/core/urlCodec.ts';
import { Playground } from './playground.ts';

/**
 * Issue 18, item 5 ("Noise and luck"): the label-noise knob reaches training, and a comparison of
 * one config over three seeds shows their mean and ±1 standard deviation.
 */

test('label noise: a bad share is refused at the field; at 0.9 the labels carry no signal left', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.open();
  await app.configure({ 'Training examples': '2000', Epochs: '1' });
  await app.field('Label noise').fill('0.95');
  await expect(page.getByText('Label noise must be at most 0.9')).toBeVisible();
  await expect(app.button('Train')).toBeDisabled();

  // At 0.9 every class is equally likely to be the label given (10% true, 10% each other).
  await app.field('Label noise').fill('0.9');
  await expect(page).toHaveURL(/config=/);
  await app.button('Train').click();
  await expect(app.status).toHaveText('Finished — Epoch 1 / 1');
  expect(await app.testAccuracy()).toBeLessThan(40);
});

const base: TrainingConfig = {
  ...DEFAULT_CONFIG,
  seed: 7,
  training: { ...DEFAULT_CONFIG.training, epochs: 2 },
  data: { ...DEFAULT_CONFIG.data, trainingExamples: 2000 },
};

test('the three-seed comparison draws their mean and ±1 std, and says it in words', async ({ page }) => {
  await page.goto(`/${encodeConfigToSearch(base)}&view=compare`);
  await page.getByRole('button', { name: 'Same config, three seeds' }).click();
  await page.getByRole('button', { name: 'Run comparison' }).click();
  await expect(page.locator('[data-testid="comparison-run"][data-status="finished"]')).toHaveCount(3);

  const figure = page.getByRole('figure', { name: 'Validation accuracy' });
  await expect(figure.getByTestId('compare-legend-item')).toHaveText(['seed 1', 'seed 2', 'seed 3']);
  await expect(figure.getByTestId('compare-legend-mean')).toHaveText('mean of seeds 1, 2, 3');
  await expect(figure.getByTestId('compare-legend-band')).toContainText(
    /±1 std of seeds 1, 2, 3 \(latest \d+\.\d% ± \d+\.\d% at epoch 2\)/,
  );
  const table = figure.getByTestId('spread-table');
  await expect(table.getByRole('row')).toHaveCount(3); // the heading and epochs 1 and 2
  await expect(table).toContainText(/mean of seeds 1, 2, 3\s*2\s*\d+\.\d% ± \d+\.\d%/);
});
