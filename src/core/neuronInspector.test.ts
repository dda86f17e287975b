import { describe, expect, it } from 'vitest';
import { divergingEntry, maxAbs, sampleUnits } from './neuronInspector.ts';

describe('sampleUnits', () => {
  it('keeps every unit of a narrow layer', () => {
    expect(sampleUnits(5, 16)).toEqual([0, 1, 2, 3, 4]);
    expect(sampleUnits(16, 16)).toHaveLength(16);
  });

  it('samples a wide layer evenly from the first unit to the last, distinct and sorted', () => {
    expect(sampleUnits(128, 5)).toEqual([0, 32, 64, 95, 127]);
    const sample = sampleUnits(1000, 16);
    expect(sample).toHaveLength(16);
    expect(sample[0]).toBe(0);
    expect(sample[15]).toBe(999);
    expect(new Set(sample).size).toBe(16);
    expect([...sample].sort((a, b) => a - b)).toEqual(sample);
  });

  it('gives nothing for an empty layer and refuses a bad sample size', () => {
    expect(sampleUnits(0)).toEqual([]);
    expect(sampleUnits(10, 1)).toEqual([0]);
    expect(() => sampleUnits(10, 0)).toThrow('positive whole number');
  });
});

describe('colour scale', () => {
  it('is the middle at zero, red (255) up, blue (0) down, saturating at the scale', () => {
    expect(divergingEntry(0, 1)).toBe(128);
    expect(divergingEntry(1, 1)).toBe(255);
    expect(divergingEntry(5, 1)).toBe(255);
    expect(divergingEntry(-2, 2)).toBe(0);
    expect(divergingEntry(0.5, 1)).toBe(191);
  });

  it('is the middle for a zero scale or a non-finite value', () => {
    expect(divergingEntry(3, 0)).toBe(128);
    expect(divergingEntry(Number.NaN, 1)).toBe(128);
  });

  it('scales by the largest absolute finite value', () => {
    expect(maxAbs([0.5, -3, 2, Number.NaN])).toBe(3);
    expect(maxAbs([])).toBe(0);
  });
});
