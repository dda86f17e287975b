import { describe, expect, it } from 'vitest';
import { browserName } from './environment.ts';

describe('browserName', () => {
  it('names common browsers with their major version', () => {
    const chrome =
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
    expect(browserName(chrome)).toBe('Chrome 156');
    expect(browserName(chrome.replace('Chrome/', 'HeadlessChrome/'))).toBe('Headless Chromium 156');
    expect(browserName(`${chrome} Edg/150.0.1`)).toBe('Edge 150');
    expect(browserName('Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0')).toBe(
      'Firefox 140',
    );
    expect(
      browserName(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15',
      ),
    ).toBe('Safari 18');
    expect(browserName('')).toBe('unknown');
  });
});
