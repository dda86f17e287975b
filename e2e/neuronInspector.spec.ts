import { expect, test } from '@playwright/test';
import { zero } from './digitStrokes.ts';
import { Playground } from './playground.ts';

/** A "7": a bar across the top and a stroke down to the bottom left. */
const seven = [
  [0.25, 0.2],
  [0.75, 0.2],
  [0.4, 0.85],
] as const;

test('the neuron inspector and the saliency overlay follow the drawn digit; a unit opens its weights and contributions', async ({
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
  const overlay = page.getByTestId('saliency-overlay');
  await expect(overlay).toHaveAttribute('aria-label', /^Saliency for \d: \d+ pixels where ink raises it/);
  expect(Number(await overlay.getAttribute('data-positive'))).toBeGreaterThan(0);
  const saliencyOf = async () =>
    `${await overlay.getAttribute('aria-label')} ${await overlay.getAttribute('data-spread')}`;
  const saliencyForZero = await saliencyOf();
  expect(forZero.split(',').some((v) => v !== '0.00')).toBe(true);

  // The same saliency lies on the pad, over the ink it came from, and lets the pen through.
  const padOverlay = page.getByTestId('pad-saliency-overlay');
  await expect(padOverlay).toBeVisible();
  expect(await padOverlay.evaluate((o) => getComputedStyle(o).pointerEvents)).toBe('none');
  const fieldBox = (await padOverlay.getAttribute('data-field-box')) ?? '';
  expect(fieldBox.split(',').map(Number).every(Number.isFinite)).toBe(true);
  const modelInput = page.getByTestId('model-input');
  const inkOfZero = await modelInput.getAttribute('data-ink-pixels');
  await app.drawStroke([
    [0.5, 0.5],
    [0.5, 0.95],
  ]);
  await expect(modelInput).not.toHaveAttribute('data-ink-pixels', inkOfZero ?? '');
  await expect(padOverlay).not.toHaveAttribute('data-field-box', fieldBox);

  await app.button('Clear').click();
  await app.drawStroke(seven);
  await expect.poll(lit).not.toBe(forZero);
  await expect.poll(saliencyOf).not.toBe(saliencyForZero);
  // The overlay can be switched off to see the plain input.
  await page.getByLabel('Saliency overlay').uncheck();
  await expect(overlay).toHaveCount(0);
  await expect(padOverlay).toHaveCount(0);

  // Keyboard: focusing a unit selects it; the detail shows its 28×28 weights and ten contributions.
  await firstLayer.getByRole('button').nth(3).focus();
  const detail = page.getByTestId('neuron-detail');
  await expect(
    detail.getByRole('img', { name: /Incoming weights of layer 1, unit \d+, as a 28×28 image/ }),
  ).toBeVisible();
  await expect(detail.getByRole('row')).toHaveCount(10);

  // The nine test images that excite it most, most activating first; one goes onto the pad.
  const thumbnails = detail.getByTestId('unit-top-images').getByRole('listitem');
  await expect(thumbnails).toHaveCount(9);
  await expect(
    detail.getByRole('button', {
      name: /^Test image [\d,]+, label \d, activation -?\d+\.\d\d: show on the pad$/,
    }),
  ).toHaveCount(9);
  const activations = await thumbnails.evaluateAll((items) =>
    items.map((item) => Number(item.getAttribute('data-activation'))),
  );
  expect(activations.every((a, k) => k === 0 || a <= (activations[k - 1] ?? Infinity))).toBe(true);
  const third = await thumbnails.nth(2).getAttribute('data-index');
  await thumbnails.nth(2).getByRole('button').click();
  await expect(page.getByTestId('true-label')).toContainText(`Test image ${third}, true label`);
  await expect(page.getByLabel('Test image', { exact: true })).toHaveValue(third ?? '');
  expect(app.consoleErrors).toEqual([]);
});
