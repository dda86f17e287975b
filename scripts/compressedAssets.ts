import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants } from 'node:zlib';
import type { Plugin, ResolvedConfig } from 'vite';

/**
 * Brotli for the app's own bytes, as static hosts serve them (Netlify, Cloudflare Pages, Vercel,
 * nginx `brotli_static`). The build writes `<file>.br` beside every script, stylesheet and
 * `.wasm` of `assets/`; the preview server answers a request whose `Accept-Encoding` has `br`
 * with that file (`Content-Encoding: br`). Vite's own preview compression is gzip only and skips
 * `.wasm`: on a 10 Mbit/s classroom link the trainer worker (unminified on purpose, see
 * vite.config.ts) is 587 KB gzip against 420 KB brotli, and the TF.js WASM binary 436 KB plain
 * against 110 KB. Anything else, or a client without `br`, falls through to the usual handling.
 * `enforce: 'post'`: its middleware comes after the policy plugin's, so the headers that plugin
 * sets are on these responses too.
 */

const COMPRESSED_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
};

/** Below this, a file is not worth a second copy (the preview's own gzip threshold too). */
const MIN_BYTES = 1024;

/** Quality 10 of 11: within 2% of 11's size at under half its time (the trainer worker: 1.5 s). */
const BROTLI_QUALITY = 10;

const compress = promisify(brotliCompress);

async function writeBrotliSiblings(assetsDir: string): Promise<void> {
  const files = readdirSync(assetsDir).filter((name) => extname(name) in COMPRESSED_TYPES);
  await Promise.all(
    files.map(async (name) => {
      const path = join(assetsDir, name);
      const bytes = readFileSync(path);
      if (bytes.length < MIN_BYTES) return;
      const params = {
        [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      };
      writeFileSync(`${path}.br`, await compress(bytes, { params }));
    }),
  );
}

const acceptsBrotli = (req: IncomingMessage) => /\bbr\b/.test(String(req.headers['accept-encoding'] ?? ''));

export function compressedAssetsPlugin(): Plugin {
  let config: ResolvedConfig;
  const outDir = () => resolve(config.root, config.build.outDir);
  return {
    name: 'compressed-assets',
    enforce: 'post',
    configResolved(resolved) {
      config = resolved;
    },
    configurePreviewServer(server) {
      const headers = config.preview.headers ?? {};
      server.middlewares.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
        const path = (req.url ?? '').split('?')[0] ?? '';
        const type = COMPRESSED_TYPES[extname(path)];
        if (req.method !== 'GET' || type === undefined || !path.startsWith('/assets/') || path.includes('..'))
          return next();
        const compressed = join(outDir(), `${path}.br`);
        res.setHeader('Vary', 'Accept-Encoding');
        if (!acceptsBrotli(req) || !existsSync(compressed)) return next();
        for (const [name, value] of Object.entries(headers))
          if (value !== undefined) res.setHeader(name, value);
        res.setHeader('Content-Type', type);
        res.setHeader('Content-Encoding', 'br');
        res.setHeader('Content-Length', String(statSync(compressed).size));
        // Hashed names: a new build has new names, so a copy never goes stale.
        res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        res.end(readFileSync(compressed));
      });
    },
    async writeBundle(options) {
      // Once, for the main build (worker sub-builds run this hook too, into the same folder).
      if (config.command !== 'build' || options.dir !== outDir()) return;
      const assetsDir = join(outDir(), config.build.assetsDir);
      if (existsSync(assetsDir)) await writeBrotliSiblings(assetsDir);
    },
  };
}
