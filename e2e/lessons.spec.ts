import { expect, test } from '@playwright/test';

test('a lesson sets up its experiment, explains it, and slows training so each step shows', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByRole('status')).toHaveText('Ready — press Train');
  await page.getByRole('button', { name: 'Gradient descent, one step at a time' }).click();
  const card = page.getByTestId('lesson-card');
  await expect(card).toContainText('nudges every weight');
  await expect(card).toContainText('Watch for:');
  await expect(page).toHaveURL(/lesson=gradient-descent/);
  await expect(page.getByLabel('Speed')).toHaveValue('250');
  await expect(page.getByLabel('Training examples', { exact: true })).toHaveValue('2048');

  await page.getByRole('region', { name: 'Run' }).getByRole('button', { name: 'Train', exact: true }).click();
  // Slowed to 4 steps a second, the first epoch (64 steps) takes many seconds: the status shows
  // single batches going by.
  await expect(page.getByTestId('batch-progress')).toHaveText(/batch [1-9]\d* \/ 64/);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Paused');
  await page.getByLabel('Speed').selectOption({ label: 'Full speed' });
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(page.getByTestId('test-accuracy')).toBeVisible();
});

test('a comparison lesson opens the Compare view with its variants; the lesson link works for students', async ({
  page,
}) => {
  await page.goto('/?lesson=dropout');
  await expect(page.getByRole('heading', { name: 'Compare runs' })).toBeVisible();
  await expect(page.getByTestId('lesson-card')).toContainText('Dropout: learning with a handicap');
  await expect(page.getByRole('group', { name: 'Variant 1', exact: true })).toContainText('dropout 0');
  await expect(page.getByRole('group', { name: 'Variant 2', exact: true })).toContainText('dropout 0.5');
  await expect(page.getByLabel('Training examples', { exact: true })).toHaveValue('500');
});

test('presenter mode hides the advanced knobs and keeps the main ones', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('status')).toHaveText('Ready — press Train');
  await expect(page.getByLabel('β1', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Presenter mode' }).click();
  await expect(page).toHaveURL(/present=1/);
  await expect(page.getByLabel('β1', { exact: true })).toBeHidden();
  await expect(page.getByLabel('Weight initialisation', { exact: true })).toBeHidden();
  await expect(page.getByLabel('Learning rate', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Speed')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Presenter mode' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Presenter mode' }).click();
  await expect(page.getByLabel('β1', { exact: true })).toBeVisible();
});
