import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { Playground } from './playground.ts';

/**
 * The Layers view after a short run (2,000 examples, 2 epochs, the default 784-128-64-10 ReLU
 * network): a row of health figures for every dense layer, a gradient norm for each, an update
 * ratio from the second epoch on, a dead-unit share for the ReLU layers, and its three heat strips (weights, gradients, activations).
 */
test('a short run fills the Layers view for every layer', async ({ page }) => {
  const app = new Playground(page);
  await app.open();
  await app.configure({ 'Training examples': '2000', Epochs: '2' });
  await app.button('Train').click();
  await expect(app.status).toHaveText('Finished — Epoch 2 / 2');

  await page.getByRole('tab', { name: 'Layers' }).click();
  const table = page.getByRole('table', { name: 'Layer health after epoch 2' });
  await expect(table).toBeVisible();
  const rows = table.getByTestId('layer-health');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0).getByRole('rowheader')).toHaveText('Hidden 1 (128 ReLU)');
  await expect(rows.nth(1).getByRole('rowheader')).toHaveText('Hidden 2 (64 ReLU)');
  await expect(rows.nth(2).getByRole('rowheader')).toHaveText('Output');
  for (let i = 0; i < 3; i++) {
    const cells = rows.nth(i).getByRole('cell');
    await expect(cells.nth(0)).toHaveText(/^\d/); // gradient norm
    await expect(cells.nth(1)).toHaveText(/^\d/); // update ratio, epoch 2 against epoch 1
    await expect(cells.nth(2)).toHaveText(i < 2 ? /^\d+% dead$/ : '—');
  }
  await expect(page.getByRole('img', { name: /Gradient norm .*log scale/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /distribution over \d epochs/ })).toHaveCount(9);

  await page.getByText('Every analysed epoch as a table').click();
  await expect(
    page.getByRole('table', { name: 'Layer health at every analysed epoch' }).getByTestId('layer-health'),
  ).toHaveCount(6);
  const results = await new AxeBuilder({ page }).include('.layers-view').analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});
