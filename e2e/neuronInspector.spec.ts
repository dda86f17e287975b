import { expect, test } from '@playwright/test';
import { Playground } from './playground.ts';

/** A "0": a closed ellipse around the pad's centre. */
const zero = Array.from({ length: 25 }, (_, i) => {
  const a = (2 * Math.PI * i) / 24;
  return [0.5 + 0.22 * Math.sin(a), 0.5 - 0.32 * Math.cos(a)] as const;
});
/** A "1": one vertical stroke. */
const one = [
  [0.5, 0.15],
  [0.5, 0.85],
] as const;

test('the neuron inspector lights units for the drawn digit, and a unit opens its weights and contributions', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.open();
  await app.configure({ 'Training examples': '2000', Epochs: '1' });
  await app.button('Train').click();
  await expect(app.status).toHaveText('Finished — Epoch 1 / 1');

  const inspector = page.getByTestId('neuron-inspector');
  const firstLayer = inspector.getByRole('group', { name: /^Layer 1 · 128 units, 16 shown$/ });
  const lit = () =>
    firstLayer
      .getByRole('button')
      .evaluateAll((units) => units.map((u) => u.getAttribute('data-activation')).join());

  await app.drawStroke(zero);
  await expect(firstLayer.getByRole('button')).toHaveCount(16);
  await expect(inspector.getByRole('group', { name: 'Output (logits)' }).getByRole('img')).toHaveCount(10);
  const forZero = await lit();
  expect(forZero.split(',').some((v) => v !== '0.00')).toBe(true);

  await app.button('Clear').click();
  await app.drawStroke(one);
  await expect.poll(lit).not.toBe(forZero);

  // Keyboard: focusing a unit selects it; the detail shows its 28×28 weights and ten contributions.
  await firstLayer.getByRole('button').nth(3).focus();
  const detail = page.getByTestId('neuron-detail');
  await expect(
    detail.getByRole('img', { name: /Incoming weights of layer 1, unit \d+, as a 28×28 image/ }),
  ).toBeVisible();
  await expect(detail.getByRole('row')).toHaveCount(10);
  expect(app.consoleErrors).toEqual([]);
});
