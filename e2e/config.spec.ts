import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { Playground } from './playground.ts';

/**
 * The whole config is editable in the form, lives in the page URL, and comes back from a link;
 * presets, JSON import and bad links are handled with messages, never silently.
 */

/** Builds 784-100(BN, dropout 0.2)-50(tanh)-10, RMSprop, MSE on 1,000 examples for 1 epoch. */
async function buildModel(app: Playground): Promise<void> {
  const { page } = app;
  await page.getByRole('button', { name: 'Remove layer 2' }).click();
  await page.getByRole('button', { name: 'Remove layer 1' }).click();
  await expect(page.getByTestId('parameter-count')).toHaveText(/^7,850 parameters · softmax regression/);

  await page.getByRole('button', { name: 'Add layer' }).click();
  await page.getByRole('button', { name: 'Add layer' }).click();
  await app.layer(2).getByLabel('Units').fill('100');
  await app.layer(2).getByLabel('Dropout').fill('0.2');
  await app.layer(2).getByLabel('Batch norm').check();
  await app.layer(1).getByLabel('Units').fill('50');
  await app.layer(1).getByLabel('Activation').selectOption({ label: 'tanh' });
  // Reorder: the wide layer with batch norm goes first.
  await page.getByRole('button', { name: 'Move layer 2 up' }).click();
  await expect(app.layer(1).getByLabel('Units')).toHaveValue('100');
  await expect(app.layer(2).getByLabel('Activation')).toHaveValue('tanh');
  // (784+1)·100 + 2·100 + (100+1)·50 + (50+1)·10
  await expect(page.getByTestId('parameter-count')).toHaveText('84,260 parameters');

  await app.choose('Optimizer', 'SGD');
  await expect(app.field('Learning rate')).toHaveValue('0.1');
  await app.choose('Optimizer', 'RMSprop');
  await expect(app.field('Learning rate')).toHaveValue('0.001');
  await expect(app.field('ρ')).toBeVisible();
  await expect(app.field('β1')).toBeHidden();
  await app.configure({ ρ: '0.95' });
  await app.choose('Loss', 'Mean squared error');
  await app.configure({ 'Training examples': '1000', Epochs: '1', 'Batch size': '50' });
}

async function expectBuiltModel(page: Page): Promise<void> {
  const app = new Playground(page);
  await expect(app.layer(1).getByLabel('Units')).toHaveValue('100');
  await expect(app.layer(1).getByLabel('Dropout')).toHaveValue('0.2');
  await expect(app.layer(1).getByLabel('Batch norm')).toBeChecked();
  await expect(app.layer(2).getByLabel('Units')).toHaveValue('50');
  await expect(app.layer(2).getByLabel('Activation')).toHaveValue('tanh');
  await expect(app.layer(2).getByLabel('Batch norm')).not.toBeChecked();
  await expect(app.layer(3)).toHaveCount(0);
  await expect(app.field('Optimizer')).toHaveValue('rmsprop');
  await expect(app.field('ρ')).toHaveValue('0.95');
  await expect(app.field('Loss')).toHaveValue('mse');
  await expect(app.field('Training examples')).toHaveValue('1000');
  await expect(app.field('Epochs')).toHaveValue('1');
  await expect(app.field('Batch size')).toHaveValue('50');
  await expect(page.getByTestId('parameter-count')).toHaveText('84,260 parameters');
}

test('a link reproduces a config built in the form', async ({ page, context }) => {
  const app = new Playground(page);
  await app.open('?backend=cpu');
  await buildModel(app);
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByText('Link copied.').or(page.getByLabel('Link to this config'))).toBeVisible();
  const link = page.url();
  expect(new URL(link).searchParams.get('backend')).toBe('cpu');

  const second = await context.newPage();
  const other = new Playground(second);
  await other.open(new URL(link).search);
  await expectBuiltModel(second);
  await expect(second.getByTestId('backend-in-use')).toHaveText('Using cpu');
  expect([...app.consoleErrors, ...other.consoleErrors]).toEqual([]);
});

test('trains the model built in the form, and its link opens the same config', async ({ page, context }) => {
  const app = new Playground(page);
  await app.open();
  await buildModel(app);
  await app.button('Train').click();
  await expect(app.status).toHaveText('Finished — Epoch 1 / 1', { timeout: 90_000 });
  expect(await app.testAccuracy()).toBeGreaterThan(30);

  const second = await context.newPage();
  await new Playground(second).open(new URL(page.url()).search);
  await expectBuiltModel(second);
  expect(app.consoleErrors).toEqual([]);
});

test('a bad config in the link is reported and the defaults are used', async ({ page }) => {
  const app = new Playground(page);
  await app.open('?config=bm90IGpzb24');
  await expect(
    page.getByRole('alert').filter({ hasText: 'The config in the link is invalid' }),
  ).toContainText('not valid JSON');
  await expect(page.getByTestId('parameter-count')).toHaveText('109,386 parameters');
  await expect(app.button('Train')).toBeEnabled();
});

test('every field shows its message and blocks training; only relevant fields are shown', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.open();
  await app.layer(1).getByLabel('Units').fill('5000');
  await expect(app.layer(1).getByText('Units must be at most 4096')).toBeVisible();
  await expect(app.button('Train')).toBeDisabled();
  await expect(app.button('Step')).toBeDisabled();
  await app.layer(1).getByLabel('Units').fill('128');
  await expect(app.button('Train')).toBeEnabled();

  await app.choose('Gradient descent', 'Full batch');
  await expect(app.field('Batch size')).toBeHidden();
  await app.choose('Learning-rate schedule', 'Cosine annealing');
  await app.configure({ 'Minimum learning rate': '0.5' });
  await expect(page.getByText('Minimum learning rate must not exceed the learning rate')).toBeVisible();
  await expect(app.button('Train')).toBeDisabled();
  await app.choose('Learning-rate schedule', 'Step decay');
  await expect(app.field('Step every')).toBeVisible();
  await expect(app.field('Decay factor')).toBeVisible();
  await expect(app.button('Train')).toBeEnabled();

  for (let i = 0; i < 6; i++) await page.getByRole('button', { name: 'Add layer' }).click();
  await expect(app.layer(8)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add layer' })).toBeDisabled();
});

test('presets and imported files replace the form; bad files change nothing', async ({ page }) => {
  const app = new Playground(page);
  await app.open();
  const preset = app.field('Preset');
  const labels = await preset.locator('option:not([disabled])').allTextContents();
  expect(labels[0]).toBe('Default (784-128-64-10)');
  const rmsprop = labels.find((label) => label.includes('RMSprop'));
  if (rmsprop !== undefined) {
    await preset.selectOption({ label: rmsprop });
    await expect(app.field('Optimizer')).toHaveValue('rmsprop');
    await preset.selectOption({ label: 'Default (784-128-64-10)' });
    await expect(app.field('Optimizer')).toHaveValue('adam');
  }

  const input = page.getByLabel('Import config');
  await input.setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{oops'),
  });
  await expect(page.getByRole('alert').filter({ hasText: 'broken.json is not valid JSON' })).toBeVisible();

  const bad = { version: 2, seed: -1 };
  await input.setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(bad)),
  });
  await expect(page.getByRole('alert').filter({ hasText: 'bad.json is not a valid config' })).toContainText(
    'seed: Seed must be at least 0',
  );
  await expect(page.getByTestId('parameter-count')).toHaveText('109,386 parameters');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export config' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('mlp-config.json');
  const exported = JSON.parse(await readFile(await file.path(), 'utf8'));
  exported.model.hiddenLayers = [{ units: 32, activation: 'sigmoid', dropout: 0.1, batchNorm: true }];
  await input.setInputFiles({
    name: 'mine.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(exported)),
  });
  await expect(page.getByText('Loaded mine.json.')).toBeVisible();
  await expect(app.layer(1).getByLabel('Activation')).toHaveValue('sigmoid');
  await expect(app.layer(2)).toHaveCount(0);
});
