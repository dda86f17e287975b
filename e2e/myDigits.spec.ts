import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { Playground } from './playground.ts';

/** A "1": one vertical stroke. */
const one = [
  [0.5, 0.2],
  [0.5, 0.8],
] as const;

test('a drawing added to My digits with its label is scored after a run and survives a reload', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.open();
  const score = page.getByTestId('my-digits-score');
  const thumbnails = page.getByRole('list', { name: 'My digits' }).getByRole('listitem');
  await expect(score).toHaveAttribute('data-count', '0');

  // Nothing drawn: nothing to add.
  const add = app.button('Add to My digits');
  await app.field('Label').selectOption('1');
  await expect(add).toBeDisabled();
  await app.drawStroke(one);
  await add.click();
  await expect(page.getByTestId('my-digits-added')).toHaveText('Added a 1 to My digits.');
  await expect(thumbnails).toHaveCount(1);
  await expect(page.getByRole('img', { name: 'My digit labelled 1' })).toBeVisible();
  // Cleared for the next drawing; no model yet, so no score.
  await expect(app.modelInput).toHaveAttribute('data-ink-pixels', '0');
  await expect(score).toContainText('No trained model yet');

  // After a run, the digit is counted in the accuracy.
  await app.configure({ 'Training examples': '2000', Epochs: '1' });
  await app.button('Train').click();
  await expect(app.status).toHaveText('Finished — Epoch 1 / 1');
  await expect(score).toHaveAttribute('data-total', '1');
  await expect(score).toContainText(
    /Accuracy on My digits: [01] of 1 \(\d+\.\d%\), epoch 1 of the last run\./,
  );

  // A reload keeps it (IndexedDB).
  await page.reload();
  await expect(app.status).toHaveText('Ready — press Train');
  await expect(thumbnails).toHaveCount(1);
  await expect(score).toHaveAttribute('data-count', '1');
  expect(app.consoleErrors).toEqual([]);
});

test('My digits export as an IDX pair, import back, refuse a bad file, and delete', async ({
  page,
}, info) => {
  const app = new Playground(page);
  await app.open();
  const thumbnails = page.getByRole('list', { name: 'My digits' }).getByRole('listitem');
  await app.field('Label').selectOption('7');
  for (const x of [0.3, 0.6]) {
    await app.drawStroke([
      [x, 0.2],
      [x + 0.2, 0.2],
      [x + 0.05, 0.8],
    ]);
    await app.button('Add to My digits').click();
    await expect(app.modelInput).toHaveAttribute('data-ink-pixels', '0');
  }
  await expect(thumbnails).toHaveCount(2);

  const downloads: string[] = [];
  page.on('download', (download) => {
    const path = info.outputPath(download.suggestedFilename());
    downloads.push(path);
    void download.saveAs(path);
  });
  await app.button('Export as IDX').click();
  await expect.poll(() => downloads.length).toBe(2);
  const [imagesPath, labelsPath] = downloads.sort();
  await expect
    .poll(async () => (await readFile(imagesPath ?? '').catch(() => Buffer.alloc(0))).length)
    .toBe(16 + 2 * 784);
  await expect
    .poll(async () => (await readFile(labelsPath ?? '').catch(() => Buffer.alloc(0))).length)
    .toBe(8 + 2);

  // A bad pair adds nothing and loses nothing.
  const importer = page.getByLabel('Import IDX files');
  await importer.setInputFiles([{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') }]);
  await expect(page.getByRole('alert').filter({ hasText: 'Nothing was imported' })).toContainText(
    'choose two files together',
  );
  await expect(thumbnails).toHaveCount(2);

  // Delete one, then import the exported pair: three.
  await page.getByRole('button', { name: 'Delete this 7' }).first().click();
  await expect(thumbnails).toHaveCount(1);
  await importer.setInputFiles([imagesPath ?? '', labelsPath ?? '']);
  await expect(page.getByTestId('my-digits-notice')).toHaveText('Imported 2 digits.');
  await expect(thumbnails).toHaveCount(3);
  expect(app.consoleErrors).toEqual([]);
});

test('the Data option mixes My digits into training: counted in the run and named in the history', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.open();
  const mix = app.field('Mix My digits into training');
  await expect(mix).toBeDisabled();
  await expect(page.getByText('No My digits yet')).toBeVisible();

  await app.field('Label').selectOption('1');
  for (const x of [0.4, 0.6]) {
    await app.drawStroke([
      [x, 0.2],
      [x, 0.8],
    ]);
    await app.button('Add to My digits').click();
    await expect(app.modelInput).toHaveAttribute('data-ink-pixels', '0');
  }
  // The Data panel follows the pad's panel.
  await expect(mix).toBeEnabled();
  await mix.check();
  await app.field('Repeat each drawing').fill('5');
  await expect(page.getByText('Adds 2 drawings, each ×5: 10 training examples')).toBeVisible();

  await app.configure({ 'Training examples': '2000', Epochs: '1' });
  await app.button('Train').click();
  await expect(app.status).toHaveText('Finished — Epoch 1 / 1');
  await expect(page.getByText(/trained 2,010 examples for/)).toBeVisible();

  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(page.getByTestId('history-row').filter({ hasText: '+2 my digits ×5' })).toHaveCount(1);
  expect(app.consoleErrors).toEqual([]);
});
