import { expect, test } from '@playwright/test';
import { PAGE_CSP, serializePolicy, PAGE_DIRECTIVES } from '../scripts/contentSecurityPolicy.ts';
import { DEFAULT_CONFIG, type TrainingConfig } from '../src/core/config.ts';
import { encodeConfigToSearch } from '../src/core/urlCodec.ts';
import { Playground } from './playground.ts';
import { watch } from './requestAudit.ts';

/**
 * The page talks only to its own origin, keeps to its Content-Security-Policy, and never runs
 * what a link carries: a script in the config's name or in `?config=`, `?backend=`, `?lesson=`
 * shows as text with a message. The offline service worker is allowed here, so its requests
 * (the precache) are audited too.
 */
test.use({ serviceWorkers: 'allow' });

/** Would set `window.__pwned` if it ever ran, as markup or as an inline handler. */
const SCRIPT = '<script>window.__pwned = 1</script>';
const IMG = '<img src="x" onerror="window.__pwned = 2">';

const base: TrainingConfig = {
  ...DEFAULT_CONFIG,
  seed: 7,
  training: { ...DEFAULT_CONFIG.training, epochs: 1 },
  data: { ...DEFAULT_CONFIG.data, trainingExamples: 2000 },
};

test('loads, trains, compares and draws talking only to its own origin, within its policy', async ({
  context,
  page,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const app = new Playground(page);
  const watching = await watch(context, page);
  const name = `${SCRIPT}${IMG}`;
  const response = await page.goto(`/${encodeConfigToSearch({ ...base, name })}`);

  // The policy arrives as a header and, for static hosting, as a <meta> (without the
  // header-only directives); the page has no inline script.
  expect(response?.headers()['content-security-policy']).toBe(PAGE_CSP);
  expect(PAGE_CSP).toContain("script-src 'self' 'wasm-unsafe-eval';");
  expect(PAGE_CSP).toContain("frame-ancestors 'none'");
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute(
    'content',
    serializePolicy(PAGE_DIRECTIVES, ['frame-ancestors', 'report-uri']),
  );
  expect(await page.locator('script:not([src])').count()).toBe(0);

  // A short training run; the name with markup is only ever text.
  await expect(app.status).toHaveText('Ready — press Train');
  await expect(app.field('Name')).toHaveValue(name);
  await app.button('Train').click();
  await expect(app.status).toHaveText('Finished — Epoch 1 / 1', { timeout: 90_000 });

  // A drawing, read by the trained network.
  await app.drawStroke([
    [0.3, 0.2],
    [0.3, 0.8],
  ]);
  await expect(page.getByTestId('prediction')).toHaveText(/^Prediction: \d/);

  // A comparison of two optimizers; the Train run sits in the history under its literal name.
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(page.getByTestId('history-row').filter({ hasText: name })).toHaveCount(1);
  await page.getByRole('button', { name: 'SGD vs Momentum vs Adam vs RMSprop' }).click();
  await page.getByRole('button', { name: 'Remove variant 4' }).click();
  await page.getByRole('button', { name: 'Remove variant 3' }).click();
  await page.getByRole('button', { name: 'Run comparison' }).click();
  await expect(page.locator('[data-testid="comparison-run"][data-status="finished"]')).toHaveCount(2, {
    timeout: 120_000,
  });

  // The offline service worker has registered, precached the app and taken control by now.
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');
  const origin = new URL(baseURL ?? page.url()).origin;
  const paths = new Set(
    watching.requests.filter((url) => !url.startsWith('blob:')).map((url) => new URL(url).pathname),
  );
  const blobs = watching.requests.filter((url) => url.startsWith('blob:')).length;
  test.info().annotations.push({
    type: 'requests',
    description: `${watching.requests.length} requests (${blobs} of them blob:) to ${[...paths].join(', ')}`,
  });
  expect(watching.requests.length).toBeGreaterThan(10);
  expect(watching.foreign(origin)).toEqual([]);
  expect(watching.reports()).toEqual([]);
  expect(await watching.violations()).toEqual([]);
  expect(await watching.pwned()).toBeUndefined();
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(app.consoleErrors).toEqual([]);
});

test('a hand-edited link with a script shows it as text, runs nothing and says what is wrong', async ({
  context,
  page,
}) => {
  const app = new Playground(page);
  const watching = await watch(context, page);
  const banner = (text: string) => page.getByRole('alert').filter({ hasText: text });

  // In the config's name (a valid config), and as the backend and the lesson.
  const name = `${SCRIPT}${IMG}`;
  const hostile = encodeURIComponent(SCRIPT);
  await app.open(`${encodeConfigToSearch({ ...base, name })}&backend=${hostile}&lesson=${hostile}`);
  await expect(app.field('Name')).toHaveValue(name);
  await expect(banner(`The link asks for an unknown backend "${SCRIPT}"; using auto instead.`)).toBeVisible();
  await expect(banner(`The link asks for an unknown lesson "${SCRIPT}".`)).toBeVisible();

  // As the whole ?config=, and inside a config that is valid base64url JSON.
  await app.open(`?config=${hostile}`);
  await expect(banner('The config in the link is invalid, so the defaults are shown')).toContainText(
    '(config): The config in the link is not valid base64url',
  );
  const json = Buffer.from(JSON.stringify({ ...base, version: SCRIPT }), 'utf8').toString('base64url');
  await app.open(`?config=${json}`);
  await expect(banner('The config in the link is invalid')).toContainText(
    `version: Unknown config version "${SCRIPT}"`,
  );

  expect(await page.locator('script:not([src])').count()).toBe(0);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await watching.pwned()).toBeUndefined();
  expect(await watching.violations()).toEqual([]);
  expect(watching.reports()).toEqual([]);
  expect(app.consoleErrors).toEqual([]);
});

/** Every backend trains within the policy: WASM threads, WebGL and WebGPU need nothing more. */
for (const backend of ['wasm', 'cpu', 'webgl', 'webgpu'] as const) {
  test(`trains on the ${backend} backend without a policy violation`, async ({ context, page }) => {
    test.setTimeout(180_000); // software WebGPU compiles its shaders slowly
    const app = new Playground(page);
    const watching = await watch(context, page);
    const small = { ...base, data: { ...base.data, trainingExamples: 500 } };
    await app.open(`${encodeConfigToSearch(small)}&backend=${backend}`);
    await expect(page.getByTestId('backend-in-use')).toHaveText(`Using ${backend}`);
    await app.button('Train').click();
    await expect(app.status).toHaveText('Finished — Epoch 1 / 1', { timeout: 90_000 });
    expect(watching.reports()).toEqual([]);
    expect(await watching.violations()).toEqual([]);
    expect(app.consoleErrors).toEqual([]);
  });
}
