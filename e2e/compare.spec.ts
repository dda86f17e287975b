import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_CONFIG, type TrainingConfig } from '../src/core/config.ts';
import { encodeConfigToSearch } from '../src/core/urlCodec.ts';

/** A small, seeded base: 2,000 training examples, 2 epochs, so each run takes a second or two. */
const base: TrainingConfig = {
  ...DEFAULT_CONFIG,
  seed: 7,
  training: { ...DEFAULT_CONFIG.training, epochs: 2 },
  data: { ...DEFAULT_CONFIG.data, trainingExamples: 2000 },
};

const SGD = 'optimizer SGD · learning rate 0.1';
const MOMENTUM = 'optimizer Momentum · learning rate 0.01 · momentum 0.9';

async function openCompare(page: Page) {
  await page.goto(`/${encodeConfigToSearch(base)}&view=compare`);
  await expect(page.getByRole('heading', { name: 'Compare runs' })).toBeVisible();
}

const runRows = (page: Page) => page.getByTestId('comparison-run');

test('races two optimizers from the same start, overlays them, and keeps them across a reload', async ({
  page,
}) => {
  await openCompare(page);
  await page.getByRole('button', { name: 'SGD vs Momentum vs Adam vs RMSprop' }).click();
  await page.getByRole('button', { name: 'Remove variant 4' }).click();
  await page.getByRole('button', { name: 'Remove variant 3' }).click();
  await expect(page.getByTestId('fairness')).toContainText('Fair start.');

  await page.getByRole('button', { name: 'Run comparison' }).click();
  await expect(runRows(page)).toHaveCount(2);
  await expect(page.locator('[data-testid="comparison-run"][data-status="finished"]')).toHaveCount(2);
  await expect(page.getByTestId('fairness-check')).toContainText(
    /Checked: all 2 runs started from identical weights \(fingerprint [0-9a-f]{8}\) and saw the same data order/,
  );

  // Each chart names both runs in its legend, and the table has a row per run.
  for (const title of ['Training loss', 'Validation loss', 'Validation accuracy']) {
    const legend = page.getByRole('figure', { name: title }).getByTestId('compare-legend-item');
    await expect(legend).toHaveText([SGD, MOMENTUM]);
  }
  const rows = page.getByTestId('summary-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText(SGD);
  await expect(rows.nth(1)).toContainText(MOMENTUM);
  await expect(rows.nth(0)).toContainText('%');

  // Both runs went into the history, which survives a reload.
  const history = page.getByTestId('history-row');
  await expect(history.filter({ hasText: SGD })).toHaveCount(1);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Run history' })).toBeVisible();
  await expect(history.filter({ hasText: SGD })).toHaveCount(1);
  await expect(history.filter({ hasText: MOMENTUM })).toHaveCount(1);

  // A past run joins the comparison from the history.
  await page.getByRole('checkbox', { name: `Add ${SGD} to the comparison` }).check();
  const accuracyLegend = page
    .getByRole('figure', { name: 'Validation accuracy' })
    .getByTestId('compare-legend-item');
  await expect(accuracyLegend).toHaveText([SGD]);
});

test('says at the field when a variant value is bad, and will not run until it is fixed', async ({
  page,
}) => {
  await openCompare(page);
  const variant = page.getByRole('group', { name: 'Variant 1', exact: true });
  const rate = variant.getByRole('textbox', { name: 'Value of learning rate' });
  await rate.fill('fast');
  await expect(variant.getByText('Learning rate must be a number')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run comparison' })).toBeDisabled();
  await rate.fill('0.05');
  await expect(variant.getByText('Learning rate must be a number')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Run comparison' })).toBeEnabled();
});

test('a Train run is kept in the history, exported as a file, and imported back to show its charts', async ({
  page,
}) => {
  await page.goto(`/${encodeConfigToSearch({ ...base, training: { ...base.training, epochs: 1 } })}`);
  await expect(page.getByRole('status')).toHaveText('Ready — press Train');
  await page.getByRole('region', { name: 'Run' }).getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('test-accuracy')).toBeVisible();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export run (JSON)' }).click();
  const file = await (await downloading).path();
  expect(file).toBeTruthy();

  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(page).toHaveURL(/view=compare/);
  const row = page.getByTestId('history-row').filter({ hasText: '784-128-64-10' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Train');

  // A broken file is refused with a message and changes nothing.
  await page.getByLabel('Import run file').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"version": 1, "id": "x"'),
  });
  await expect(page.getByRole('alert').filter({ hasText: 'broken.json' })).toContainText('not JSON');
  await expect(page.getByTestId('history-row')).toHaveCount(1);

  // The exported file comes back (same id: one row) and its curves are drawn.
  await page.getByLabel('Import run file').setInputFiles(file as string);
  await expect(page.getByText(/Imported 1 run from/)).toBeVisible();
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  const legend = page.getByRole('figure', { name: 'Validation accuracy' }).getByTestId('compare-legend-item');
  await expect(legend).toHaveCount(1);
  await expect(legend).toContainText('784-128-64-10');
});
