import { expect, test } from '@playwright/test';
import { zero } from './digitStrokes.ts';
import { Playground } from './playground.ts';

/** A "7": a bar across the top and a stroke down to the bottom left. */
const seven = [
  [0.25, 0.2],
  [0.75, 0.2],
  [0.4, 0.85],
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
  await app.drawStroke(seven);
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
