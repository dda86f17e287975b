/**
 * The browser a run ran in, in words, for run records: figures are only comparable between runs
 * of the same environment. From the user-agent string, most specific token first (Edge and Opera
 * also say "Chrome"; Chrome also says "Safari").
 */
export function browserName(userAgent: string): string {
  const patterns: readonly [RegExp, string][] = [
    [/Edg\/(\d+)/, 'Edge'],
    [/OPR\/(\d+)/, 'Opera'],
    [/Firefox\/(\d+)/, 'Firefox'],
    [/HeadlessChrome\/(\d+)/, 'Headless Chromium'],
    [/Chrom(?:e|ium)\/(\d+)/, 'Chrome'],
    [/Version\/(\d+)[^ ]* .*Safari\//, 'Safari'],
    [/Node\.js\/v?(\d+)|Node\/v?(\d+)/, 'Node.js'],
  ];
  for (const [pattern, name] of patterns) {
    const match = pattern.exec(userAgent);
    if (match) return `${name} ${match[1] ?? match[2] ?? ''}`.trim();
  }
  return userAgent.slice(0, 60) || 'unknown';
}
