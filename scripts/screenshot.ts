/**
 * Opens the running app in headless Chromium, trains briefly and saves a screenshot — how the
 * README image is made and how a person checks the page: `node scripts/screenshot.ts URL OUT.png`.
 */
import { chromium } from '@playwright/test';

const [url = 'http://127.0.0.1:4173/', out = 'screenshot.png', examples = '54000', epochs = '5'] =
  process.argv.slice(2);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
page.on('console', (msg) => console.log(`[console.${msg.type()}] ${msg.text()}`));
page.on('pageerror', (err) => console.log(`[pageerror] ${err.message}`));
await page.goto(url);
await page.getByText('Ready — press Train').waitFor({ timeout: 120_000 });
await page.getByLabel('Training examples').fill(examples);
await page.getByLabel('Epochs').fill(epochs);
const started = Date.now();
await page.getByRole('button', { name: 'Train' }).click();
await page.getByTestId('test-accuracy').waitFor({ timeout: 900_000 });
console.log(`trained in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(await page.getByTestId('test-accuracy').textContent());
await page.locator('details summary').click();
console.log(await page.locator('.details').innerText());
await page.screenshot({ path: out, fullPage: true });
await browser.close();
