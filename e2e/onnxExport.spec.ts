import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import * as ort from 'onnxruntime-web';
import { loadMnistFromPackage } from '../src/cli/nodeData.ts';
import { DEFAULT_CONFIG, type TrainingConfig } from '../src/core/config.ts';
import { MNIST_CLASSES, MNIST_PIXELS } from '../src/core/idx.ts';
import { encodeConfigToSearch } from '../src/core/urlCodec.ts';
import { Playground } from './playground.ts';
import { watch } from './requestAudit.ts';

/**
 * The ONNX file the page writes (its protobuf library loaded on demand, under the page's
 * Content-Security-Policy) is a working model: ONNX Runtime (onnxruntime-web, here in the test's
 * Node process) classifies the 10,000 test images as the page's own evaluation did.
 */

/** A brief, seeded run with batch norm and GELU (composed from primitives in opset 13). */
const brief: TrainingConfig = {
  ...DEFAULT_CONFIG,
  seed: 23,
  model: {
    ...DEFAULT_CONFIG.model,
    hiddenLayers: [
      { units: 64, activation: 'gelu', dropout: 0.1, batchNorm: true },
      { units: 32, activation: 'relu', dropout: 0, batchNorm: false },
    ],
  },
  training: { ...DEFAULT_CONFIG.training, epochs: 1 },
  data: { ...DEFAULT_CONFIG.data, trainingExamples: 2000, normalization: 'standardize' },
};

/** Fraction of the test set ONNX Runtime classifies right with the model in `bytes`. */
async function onnxTestAccuracy(bytes: Uint8Array): Promise<number> {
  const { test: images } = loadMnistFromPackage();
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(bytes);
  try {
    const pixels = new ort.Tensor('float32', Float32Array.from(images.pixels), [images.count, MNIST_PIXELS]);
    const { probabilities } = await session.run({ pixels });
    const values = probabilities?.data as Float32Array;
    let right = 0;
    for (let i = 0; i < images.count; i++) {
      const row = values.subarray(i * MNIST_CLASSES, (i + 1) * MNIST_CLASSES);
      if (row.indexOf(Math.max(...row)) === images.labels[i]) right++;
    }
    return right / images.count;
  } finally {
    await session.release();
  }
}

test('a model downloaded as ONNX runs in ONNX Runtime to the test accuracy the page measured', async ({
  context,
  page,
}) => {
  const watching = await watch(context, page);
  const app = new Playground(page);
  await app.open(encodeConfigToSearch(brief));
  await app.button('Train').click();
  await expect(app.status).toHaveText('Finished — Epoch 1 / 1');
  const models = page.getByRole('region', { name: 'Models' });
  await models.getByLabel('Model name').fill('onnx digits');
  await models.getByRole('button', { name: 'Save model' }).click();
  await expect(page.getByTestId('models-status')).toContainText('Saved onnx digits.');
  const row = models.locator('[data-testid="saved-model"][data-name="onnx digits"]');
  const saved = Number(await row.locator('[data-accuracy]').getAttribute('data-accuracy'));

  await models.getByLabel('Download as').selectOption({ label: 'ONNX (.onnx)' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    models.getByRole('button', { name: 'Download onnx digits', exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('onnx-digits.onnx');
  const path = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(path);

  // The page evaluates with TF.js, ONNX Runtime with its own kernels: the probabilities agree to
  // about 1e-6, so at most a near-tie or two may fall the other way.
  const accuracy = await onnxTestAccuracy(new Uint8Array(await readFile(path)));
  expect(Math.abs(accuracy - saved), `ONNX Runtime ${accuracy}, page ${saved}`).toBeLessThanOrEqual(
    2 / 10_000,
  );
  expect(await watching.violations()).toEqual([]);
  expect(app.consoleErrors).toEqual([]);
});
