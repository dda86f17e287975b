import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from './config.ts';
import { seedGroups } from './seedGroups.ts';

const seeded = (seed: number, changes: Partial<TrainingConfig> = {}): TrainingConfig => ({
  ...DEFAULT_CONFIG,
  ...changes,
  seed,
  name: `seed ${seed}`,
});

describe('seedGroups', () => {
  it('groups runs whose configs differ only by seed and name', () => {
    const runs = [
      { key: 'a', config: seeded(1) },
      { key: 'b', config: seeded(2) },
      { key: 'c', config: seeded(3) },
    ];
    expect(seedGroups(runs)).toEqual([{ keys: ['a', 'b', 'c'], seeds: [1, 2, 3] }]);
  });

  it('keeps configs that differ in anything else apart, and drops singletons and repeated seeds', () => {
    const wide = { model: { ...DEFAULT_CONFIG.model, hiddenLayers: [] } };
    const runs = [
      { key: 'a', config: seeded(1) },
      { key: 'w1', config: seeded(1, wide) },
      { key: 'b', config: seeded(2) },
      { key: 'w2', config: seeded(2, wide) },
      { key: 'again', config: seeded(2) },
      { key: 'alone', config: seeded(5, { training: { ...DEFAULT_CONFIG.training, epochs: 9 } }) },
      { key: 'unknown' },
    ];
    expect(seedGroups(runs)).toEqual([
      { keys: ['a', 'b'], seeds: [1, 2] },
      { keys: ['w1', 'w2'], seeds: [1, 2] },
    ]);
  });

  it('matches a stored config written before label noise existed with a new one', () => {
    const { data } = DEFAULT_CONFIG;
    const old = {
      ...seeded(7),
      data: Object.fromEntries(Object.entries(data).filter(([k]) => k !== 'labelNoise')),
    };
    const runs = [
      { key: 'old', config: old as TrainingConfig },
      { key: 'new', config: seeded(8) },
    ];
    expect(seedGroups(runs)).toEqual([{ keys: ['old', 'new'], seeds: [7, 8] }]);
  });
});
