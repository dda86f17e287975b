import { expect, type Page } from '@playwright/test';

/** The Models panel, its saved-model rows and Save model, for the specs that use saved models. */

export const models = (page: Page) => page.getByRole('region', { name: 'Models' });

export const savedRow = (page: Page, name: string) =>
  models(page).locator(`[data-testid="saved-model"][data-name="${name}"]`);

/** The exact test accuracy (a fraction) a saved model's row shows. */
export async function savedAccuracy(page: Page, name: string): Promise<number> {
  return Number(await savedRow(page, name).locator('[data-accuracy]').getAttribute('data-accuracy'));
}

/** Saves the finished run's model as `name` and waits for the panel to say so. */
export async function saveModel(page: Page, name: string): Promise<void> {
  await models(page).getByLabel('Model name').fill(name);
  await models(page).getByRole('button', { name: 'Save model' }).click();
  await expect(page.getByTestId('models-status')).toContainText(`Saved ${name}.`);
}

/** Loads `name` and waits for the worker's evaluation; returns the accuracy it reports. */
export async function load(page: Page, name: string): Promise<number> {
  await models(page)
    .getByRole('button', { name: `Load ${name}`, exact: true })
    .click();
  const loaded = page.getByTestId('loaded-model');
  await expect(loaded).toContainText(`Loaded ${name}: test accuracy`);
  await expect(loaded).toContainText('(evaluated now)');
  return Number(await loaded.getAttribute('data-accuracy'));
}
