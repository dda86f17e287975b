import { FIRST_MNIST_FILES, MNIST_CACHE, mnistPath } from '../core/mnistShards.ts';

/**
 * Starts the first visit's MNIST download from the page, as soon as its script runs, instead of
 * after the training worker (3.5 MB of unminified script, see vite.config.ts) has downloaded and
 * started: about a second earlier on a 10 Mbit/s link. The page reads and drops the bytes; what
 * it buys is the HTTP cache entry, which the worker's own request for the same URL joins or reads
 * (the data is served cacheable, `scripts/mnistPlugin.ts`), so the bytes cross the network once.
 * The worker still owns the data: it parses, checks and keeps it (`worker/mnistFetch.ts`).
 *
 * Skipped for files already in the worker's Cache Storage (a reload, an offline visit: then the
 * worker reads them there and nothing is fetched), and where Cache Storage is missing (not a
 * secure context: the worker's cache is off too, and a plain page fetch may not be reusable).
 * Failures are ignored: the worker's own request reports them.
 */
export function prefetchFirstMnistFiles(base: string = import.meta.env.BASE_URL): void {
  if (typeof caches === 'undefined' || typeof fetch !== 'function') return;
  void (async () => {
    const cache = await caches.open(MNIST_CACHE);
    await Promise.all(
      FIRST_MNIST_FILES.map(async (fileName) => {
        const url = new URL(mnistPath(base, fileName), location.origin).href;
        if ((await cache.match(url)) !== undefined) return;
        const response = await fetch(url);
        await response.arrayBuffer();
      }),
    );
  })().catch(() => undefined);
}
