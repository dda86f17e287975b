import { describe, expect, it } from 'vitest';
import { Fingerprint } from './fingerprint.ts';

describe('Fingerprint', () => {
  it('matches the FNV-1a 32-bit reference values', () => {
    // Reference: FNV-1a("") = 811c9dc5, FNV-1a("a") = e40c292c, FNV-1a("foobar") = bf9cf968.
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(new Fingerprint().hex()).toBe('811c9dc5');
    expect(new Fingerprint().addArray(bytes('a')).hex()).toBe('e40c292c');
    expect(new Fingerprint().addArray(bytes('foobar')).hex()).toBe('bf9cf968');
  });

  it('tells apart arrays that differ in one float bit or in shape', () => {
    const a = Float32Array.of(0.5, 0.25, -1);
    const b = Float32Array.of(0.5, 0.25, -1.0000001);
    expect(new Fingerprint().addArray(a).hex()).not.toBe(new Fingerprint().addArray(b).hex());
    expect(new Fingerprint().addInt(3).addArray(a).hex()).not.toBe(
      new Fingerprint().addInt(4).addArray(a).hex(),
    );
    expect(new Fingerprint().addArray(a).hex()).toBe(new Fingerprint().addArray(a.slice()).hex());
  });

  it('reads only the view, not the whole buffer behind it', () => {
    const whole = Float32Array.of(9, 1, 2, 9);
    expect(new Fingerprint().addArray(whole.subarray(1, 3)).hex()).toBe(
      new Fingerprint().addArray(Float32Array.of(1, 2)).hex(),
    );
  });
});
