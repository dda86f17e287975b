import type { BrowserContext, Page } from '@playwright/test';
import { CSP_REPORT_PATH } from '../scripts/contentSecurityPolicy.ts';

/**
 * Records every request of a page, its workers and its service worker, and every
 * Content-Security-Policy violation the page reports to itself, for the request audits of
 * e2e/security.spec.ts and e2e/offline.spec.ts. Call before the page loads.
 */
export async function watch(context: BrowserContext, page: Page) {
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.defineProperty(window, '__cspViolations', { value: seen });
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(
        `${event.effectiveDirective} blocked ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`,
      );
    });
  });
  return {
    requests,
    /** Requests that left the app's origin (a blob: URL has its creator's origin; data: never leaves). */
    foreign: (origin: string) =>
      requests.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin),
    /** Violation reports the browser sent (pages and workers alike). */
    reports: () => requests.filter((url) => new URL(url).pathname === CSP_REPORT_PATH),
    violations: () =>
      page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
    pwned: () => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned),
  };
}
