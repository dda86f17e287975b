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

/**
 * Per-step layer norms fill in while training, before any epoch is analysed: slowed to 20 steps a
 * second and paused after a few, the Layers view's per-step charts and their latest-values table
 * have every dense layer, with a gradient norm and an update ratio each.
 */
test('the per-step layer charts fill in during a run', async ({ page }) => {
  const app = new Playground(page);
  await app.open();
  await app.configure({ 'Training examples': '2000', Epochs: '1' });
  await page.getByLabel('Speed').selectOption({ label: '20 steps/s' });
  await app.button('Train').click();
  await expect(page.getByTestId('batch-progress')).toHaveText(/batch ([3-9]|\d\d+) \//);
  await app.button('Pause').click();
  await expect(app.status).toHaveText(/^Paused/);

  await page.getByRole('tab', { name: 'Layers' }).click();
  const latest = page.getByRole('table', { name: 'Latest sampled step per layer' });
  const rows = latest.getByTestId('layer-step-latest');
  await expect(rows).toHaveCount(3);
  for (let i = 0; i < 3; i++) {
    const cells = rows.nth(i).getByRole('cell');
    await expect(cells.nth(0)).toHaveText(/^\d+$/); // the step
    await expect(cells.nth(1)).toHaveText(/^\d/); // gradient norm
    await expect(cells.nth(2)).toHaveText(/^\d/); // update / weight
  }
  for (const title of ['Gradient norm ‖∂J/∂W‖ per step', 'Update / weight ‖ΔW‖/‖W‖ per step']) {
    const summary = page.getByRole('img', {
      name: new RegExp(`^${title.replace(/[/|()]/g, '\\$&')}\\. Latest`),
    });
    await expect(summary).toBeVisible();
    await expect(summary).toHaveAccessibleName(/Hidden 1 \d.*Hidden 2 \d.*Output \d/);
  }
  await expect(page.getByText('Train for an epoch: the per-epoch layer health fills in')).toBeVisible();
  const results = await new AxeBuilder({ page }).include('.layers-view').analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});
