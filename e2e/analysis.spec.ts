import { expect, test } from '@playwright/test';
import { Playground } from './playground.ts';

/**
 * "What the network learned" after one short epoch (2,000 examples, the default fixed seed): the
 * misclassified gallery, the confusion matrix and its cell gallery, the predictions grid, the
 * PCA scatter and the weight images, each checked through what a person sees (text, counts).
 */
test('shows the analysis views after an epoch and filters the gallery by a confusion cell', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.open();
  await app.analysisTab('Dataset').click();
  // Ten rows of training images, one per digit, before any training.
  await expect(page.getByRole('img', { name: /training images of the digit \d/ })).toHaveCount(10);

  await app.configure({ 'Training examples': '2000', Epochs: '1' });
  await app.button('Train').click();
  await expect(app.status).toHaveText('Finished — Epoch 1 / 1');

  await app.analysisTab('Misclassified').click();
  const wrong = page.getByTestId('misclassified');
  await expect(wrong.first()).toBeVisible();
  expect(await wrong.count()).toBeGreaterThan(0);
  await expect(wrong.first()).toHaveText(/predicted \d, true \d/);
  await expect(wrong.first()).toContainText('% sure');
  await expect(
    wrong.first().getByRole('list', { name: 'Top 3 probabilities' }).getByRole('listitem'),
  ).toHaveCount(3);
  const first = {
    t: await wrong.first().getAttribute('data-true'),
    p: await wrong.first().getAttribute('data-predicted'),
  };
  expect(first.t).not.toBe(first.p);

  await app.analysisTab('Predictions').click();
  const tiles = page
    .getByRole('list', { name: /Predictions on the first 40 test images/ })
    .getByRole('listitem');
  await expect(tiles).toHaveCount(40);
  for (const text of await tiles.allTextContents()) expect(text).toMatch(/^✓ \d|^✗ \d, true \d/);

  await app.analysisTab('Confusion matrix').click();
  await expect(app.confusionCells).toHaveCount(100);
  const cells = await app.confusionCounts();
  expect(cells.reduce((sum, c) => sum + c.count, 0)).toBe(10_000);
  const errors = cells.filter((c) => c.trueClass !== c.predicted && c.count > 0);
  expect(errors.length, 'some off-diagonal cell has images').toBeGreaterThan(0);
  const cell = errors.reduce((a, b) => (b.count > a.count ? b : a));
  await page
    .getByRole('button', {
      name: `True ${cell.trueClass}, predicted ${cell.predicted}: ${cell.count} images`,
    })
    .click();
  const gallery = page.getByTestId('pair-gallery');
  await expect(gallery.getByRole('heading')).toContainText(
    `True ${cell.trueClass}, predicted ${cell.predicted}: ${cell.count}`,
  );
  const shown = gallery.getByRole('listitem');
  await expect(shown).toHaveCount(Math.min(cell.count, 48));
  const pairs = await shown.evaluateAll((items) =>
    items.map((item) => `${item.getAttribute('data-true')}→${item.getAttribute('data-predicted')}`),
  );
  expect(new Set(pairs)).toEqual(new Set([`${cell.trueClass}→${cell.predicted}`]));
  await expect(page.getByRole('slider', { name: 'Epoch', exact: true })).toHaveValue('1');

  await app.analysisTab('PCA').click();
  const scatter = page.getByRole('img', { name: /^PCA of / });
  await expect(scatter).toHaveAttribute('data-classes', '10');
  await expect(scatter).toHaveAttribute('data-points', /^\d{4}$/);
  await expect(page.getByTestId('pca-explained')).toHaveText(/PC1 \d+\.\d%, PC2 \d+\.\d%/);
  // Keyboard: focus the plot and step to a point; its digit is read out.
  await scatter.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('.scatter-readout')).toContainText(/\d\s*test #\d+/);
  await app.choose('Layer', 'Logits');
  await expect(scatter).toHaveAccessibleName(/^PCA of Logits/);

  await app.analysisTab('Weights').click();
  await expect(page.getByRole('img', { name: /Weights of 64 first-layer units/ })).toHaveAttribute(
    'data-tiles',
    '64',
  );
  expect(app.consoleErrors).toEqual([]);
});
