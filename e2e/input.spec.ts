import { expect, test } from '@playwright/test';
import { Playground } from './playground.ts';

test('bad values get a message at their field and cannot be trained', async ({ page }) => {
  const app = new Playground(page);
  await app.open();
  await app.configure({ 'Batch size': '0' });
  await expect(page.getByText('Batch size must be at least 1')).toBeVisible();
  await expect(app.field('Batch size')).toHaveAttribute('aria-invalid', 'true');
  await expect(app.button('Train')).toBeDisabled();

  await app.configure({ 'Batch size': '128', 'Training examples': '60000' });
  await expect(page.getByText(/Training examples must be at most 54,000/)).toBeVisible();
  await app.configure({ 'Training examples': '54000' });
  await expect(app.button('Train')).toBeEnabled();
});

test('an unknown backend in the link is reported and auto is used', async ({ page }) => {
  const app = new Playground(page);
  await app.open('?backend=quantum');
  await expect(page.getByRole('alert').filter({ hasText: 'unknown backend "quantum"' })).toBeVisible();
  await expect(page.getByTestId('backend-in-use')).toHaveText(/^Using /);
});

test('serves MNIST gzip-compressed from its own origin, cross-origin isolated', async ({
  page,
  request,
  baseURL,
}) => {
  const response = await request.get('/mnist/train-labels-idx1-ubyte.gz');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/gzip');
  const body = await response.body();
  expect([body[0], body[1]]).toEqual([0x1f, 0x8b]);
  expect(body.length).toBeLessThan(60_008);

  const page_ = await request.get('/');
  expect(page_.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(page_.headers()['cross-origin-embedder-policy']).toBe('require-corp');

  const external: string[] = [];
  page.on('request', (r) => {
    const sameOrigin = baseURL !== undefined && new URL(r.url()).origin === new URL(baseURL).origin;
    if (!sameOrigin && !r.url().startsWith('blob:')) external.push(r.url());
  });
  const app = new Playground(page);
  await app.open();
  await page.getByText('Details').click();
  await expect(page.getByTestId('details-isolated')).toHaveText('yes');
  expect(external).toEqual([]);
});
