import { expect, test } from '@playwright/test';
import { Playground } from './playground.ts';

test('Step, Step epoch, a new learning rate mid-run, and Reset', async ({ page }) => {
  const app = new Playground(page);
  await app.open();
  await app.configure({ 'Training examples': '2000', Epochs: '2', 'Batch size': '100' });
  await expect(app.button('Reset')).toBeDisabled();

  await app.button('Step').click();
  await expect(app.status).toHaveText('Paused — Epoch 1 / 2');
  await expect(app.button('Train')).toBeDisabled();
  await expect(app.button('Reset')).toBeEnabled();
  await expect(app.field('Epochs')).toBeDisabled();

  await app.field('Learning rate now').fill('0.01');
  await app.button('Apply').click();
  await app.button('Step').click();
  await expect(page.getByTestId('learning-rate')).toHaveText('learning rate 0.01');

  await app.button('Step epoch').click();
  await expect(app.status).toHaveText(/^Paused — Epoch [12] \/ 2$/);
  await app.button('Resume').click();
  await expect(app.status).toHaveText('Finished — Epoch 2 / 2');
  await expect(page.getByTestId('test-accuracy')).toBeVisible();
  await expect(page.getByTestId('best-test-accuracy')).toHaveText(
    /^Test accuracy \(best epoch [12] by validation\): [\d.]+%$/,
  );

  await app.button('Reset').click();
  await expect(app.status).toHaveText('Ready — press Train');
  await expect(page.getByTestId('test-accuracy')).toBeHidden();
  await expect(app.button('Reset')).toBeDisabled();
  expect(app.consoleErrors).toEqual([]);
});

test('stochastic gradient descent (batch 1) shows its throughput', async ({ page }) => {
  const app = new Playground(page);
  await app.open();
  await app.choose('Gradient descent', 'Stochastic (batch 1)');
  // Two epochs, so Step epoch always ends paused before epoch 2 (the throughput shows while
  // training or paused; a one-epoch run would finish and hide it).
  await app.configure({ 'Training examples': '500', Epochs: '2' });
  await app.button('Step epoch').click();
  // Throughput above 0 means a batch was reported, so this pause is the one after the epoch,
  // not the one before the first batch.
  const throughput = page.getByTestId('throughput');
  await expect(throughput).toHaveText(/^[1-9][\d,]* examples\/s$/);
  await expect(app.status).toHaveText('Paused — Epoch 1 / 2');
  await expect(page.getByTestId('batch-progress')).toHaveText(/^batch ([\d,]+) \/ \1$/);
  await expect(throughput).toHaveText(/^[1-9][\d,]* examples\/s$/);
  await app.button('Resume').click();
  await expect(app.status).toHaveText('Finished — Epoch 2 / 2');
  expect(app.consoleErrors).toEqual([]);
});

test('augmentation shows originals next to augmented digits', async ({ page }) => {
  const app = new Playground(page);
  await app.open();
  await expect(page.getByRole('button', { name: 'Preview augmentation' })).toBeHidden();
  await app.configure({ Rotation: '20', Shift: '2' });
  await expect(page.getByRole('button', { name: 'Preview augmentation' })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Digit \d, augmented$/ })).toHaveCount(16);
  await expect(page.getByRole('img', { name: /^Digit \d, original$/ })).toHaveCount(16);
  expect(app.consoleErrors).toEqual([]);
});
