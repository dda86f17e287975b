import { expect, test } from '@playwright/test';
import { Playground } from './playground.ts';

test('the learning-rate finder suggests a rate on a small subset, and Use this rate sets the Learning rate field', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.open();
  // A rate the suggestion will not be, so applying it visibly changes the field.
  await app.configure({ 'Training examples': '2000', 'Learning rate': '0.77' });

  await app.button('Find learning rate').click();
  await expect(page.getByRole('progressbar', { name: 'Range test progress' })).toBeVisible();
  const suggestion = page.getByTestId('lr-suggestion');
  await expect(suggestion).toContainText(/Suggested learning rate: [\d.e-]+/);
  const figure = page.getByRole('figure', { name: 'Learning-rate range test' });
  await expect(figure).toBeVisible();
  await expect(figure.locator('canvas[data-points]')).toHaveAttribute('data-points', /^[1-9]\d*$/);
  await expect(page.getByText('divided by 10')).toBeVisible();
  // The table alternative lists the curve.
  await figure.getByText('The curve as a table').click();
  await expect(figure.getByRole('row').nth(3)).toBeVisible();

  const rate = /Suggested learning rate: ([\d.e-]+)/.exec((await suggestion.textContent()) ?? '')?.[1] ?? '';
  expect(Number(rate)).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Use this rate' }).click();
  await expect(app.field('Learning rate')).toHaveValue(String(Number(rate)));
  // The form is valid with it, and training can start from it.
  await expect(app.button('Train')).toBeEnabled();
  expect(app.consoleErrors).toEqual([]);
});
