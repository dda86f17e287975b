import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';

/**
 * Content-Security-Policy: the page runs only its own scripts, loads nothing from elsewhere and
 * cannot be framed, so nothing from a link or a file can run as code even if it reached the DOM.
 * `'wasm-unsafe-eval'` lets TF.js WASM and the fused kernel compile WebAssembly; it does not
 * allow `eval` of strings. Zod's JIT would try `new Function` (and report a violation), so the
 * core turns it off (`z.config({ jitless: true })` in src/core/config.ts).
 *
 * Delivered three ways: a response header on the preview and dev servers, and a `<meta>` in the
 * built HTML so static hosting without headers still gets it (a `<meta>` cannot carry
 * `frame-ancestors`, which only the header has).
 */

type Directives = Readonly<Record<string, readonly string[]>>;

/** The page's policy. */
export const PAGE_DIRECTIVES: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'worker-src': ["'self'"],
  'connect-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'style-src': ["'self'"],
  'font-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/**
 * The policy the worker scripts are served with (a worker takes its policy from its own
 * response, not from the page). TF.js WASM starts its pthreads as `blob:` workers that
 * `importScripts` a `blob:` of its Emscripten factory, so the worker, unlike the page, needs
 * `blob:` for scripts and workers. Header only: static hosting gives workers no policy.
 */
export const WORKER_DIRECTIVES: Directives = {
  ...PAGE_DIRECTIVES,
  'script-src': ["'self'", 'blob:', "'wasm-unsafe-eval'"],
  'worker-src': ["'self'", 'blob:'],
};

/**
 * The dev server's policy: the page's, plus what Vite's dev mode needs and a build does not
 * (the React Refresh preamble is an inline script, CSS arrives as injected `<style>` elements)
 * and the worker's `blob:`, since dev modules cannot be told apart from worker scripts by name.
 */
export const DEV_DIRECTIVES: Directives = {
  ...WORKER_DIRECTIVES,
  'script-src': ["'self'", 'blob:', "'unsafe-inline'", "'wasm-unsafe-eval'"],
  'style-src': ["'self'", "'unsafe-inline'"],
};

export function serializePolicy(directives: Directives, omit: readonly string[] = []): string {
  return Object.entries(directives)
    .filter(([name]) => !omit.includes(name))
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/**
 * Where the servers' header policy has the browser report a violation (page or worker); the
 * servers log each report. Chromium sends it as a same-origin request of type
 * `cspviolationreport`, which the e2e request audit fails on.
 */
export const CSP_REPORT_PATH = '/__csp-report';
const REPORT: Directives = { 'report-uri': [CSP_REPORT_PATH] };

export const PAGE_CSP = serializePolicy({ ...PAGE_DIRECTIVES, ...REPORT });
export const WORKER_CSP = serializePolicy({ ...WORKER_DIRECTIVES, ...REPORT });
const DEV_CSP = serializePolicy({ ...DEV_DIRECTIVES, ...REPORT });
/** Directives a `<meta>` policy ignores (with a console warning), so it leaves them out. */
const HEADER_ONLY = ['frame-ancestors', 'report-uri'];

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/** Scripts are served with the worker policy (it only takes effect for worker scripts), the rest with the page's. */
function policyFor(url: string | undefined): string {
  const path = (url ?? '').split('?')[0] ?? '';
  return path.endsWith('.js') ? WORKER_CSP : PAGE_CSP;
}

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** A report's gist for the server log: `script-src blob:… (https://…/worker.js:1)`. */
function describeReport(body: string): string {
  try {
    const report = (JSON.parse(body) as { 'csp-report'?: Record<string, unknown> })['csp-report'] ?? {};
    const field = (name: string) => String(report[name] ?? '?').slice(0, 200);
    return `${field('violated-directive')} blocked ${field('blocked-uri')} (${field('source-file')}:${field('line-number')})`;
  } catch {
    return body.slice(0, 200);
  }
}

/** Answers violation reports (logging each) and sets the policy on every other response. */
const policyMiddleware =
  (choose: (url: string | undefined) => string, warn: (message: string) => void): Middleware =>
  (req, res, next) => {
    if (req.method === 'POST' && req.url === CSP_REPORT_PATH) {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        if (body.length < 16_384) body += chunk;
      });
      req.on('end', () => {
        warn(`Content-Security-Policy violation: ${describeReport(body)}`);
        res.statusCode = 204;
        res.end();
      });
      return;
    }
    res.setHeader('Content-Security-Policy', choose(req.url));
    next();
  };

/** Sets the policy on the preview and dev servers and writes it into the built HTML. */
export function contentSecurityPolicyPlugin(): Plugin {
  return {
    name: 'content-security-policy',
    configureServer(server) {
      const warn = (message: string) => server.config.logger.warn(message, { timestamp: true });
      server.middlewares.use(policyMiddleware(() => DEV_CSP, warn));
    },
    configurePreviewServer(server) {
      const warn = (message: string) => server.config.logger.warn(message, { timestamp: true });
      server.middlewares.use(policyMiddleware(policyFor, warn));
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        if (context.server) return html; // dev: the header alone, since dev needs inline code
        if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(html)) {
          throw new Error(`${context.filename} has an inline <script>; the policy forbids it`);
        }
        const meta = `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(serializePolicy(PAGE_DIRECTIVES, HEADER_ONLY))}" />`;
        const charset = /<meta charset="UTF-8" \/>/i;
        if (!charset.test(html))
          throw new Error(`${context.filename} needs <meta charset> for the policy to follow`);
        return html.replace(charset, (tag) => `${tag}\n    ${meta}`);
      },
    },
  };
}
