import { describe, expect, it } from 'vitest';
import { describeValue } from './describeValue.ts';

describe('describeValue', () => {
  it('writes primitives as JSON would, and cuts long strings', () => {
    expect(describeValue('1')).toBe('"1"');
    expect(describeValue(3)).toBe('3');
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('missing');
    expect(describeValue('x'.repeat(1_000_000), 5)).toBe('"xxxxx"…');
  });

  it('names the kind of anything JSON.stringify would throw on or copy whole', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(describeValue(cyclic)).toBe('an object');
    expect(describeValue(deep)).toBe('a list');
    expect(describeValue(10n)).toBe('10n');
    expect(describeValue(Symbol('s'))).toBe('a symbol');
  });
});
