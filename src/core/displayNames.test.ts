import { describe, expect, it } from 'vitest';
import * as schema from './config.ts';
import { DISPLAY_NAMES, displayName, optionsOf, shortName } from './displayNames.ts';

describe('display names', () => {
  it('name every value of every named kind once: the kinds share no value', () => {
    const values = [
      schema.ACTIVATIONS,
      schema.INITIALIZERS,
      schema.LOSSES,
      schema.OPTIMIZERS,
      schema.SCHEDULES,
      schema.GRADIENT_DESCENT,
      schema.NORMALIZATIONS,
      schema.SPLIT_METHODS,
    ].flat();
    expect(new Set(values).size).toBe(values.length);
    expect(Object.keys(DISPLAY_NAMES).sort()).toEqual([...values].sort());
  });

  it('give options in the schema order, by name or by short name', () => {
    expect(optionsOf(schema.OPTIMIZERS)[1]).toEqual({ value: 'momentum', label: 'SGD with momentum' });
    expect(optionsOf(schema.OPTIMIZERS, 'short').map((o) => o.label)).toEqual([
      'SGD',
      'Momentum',
      'Adam',
      'AdamW',
      'RMSprop',
      'Adagrad',
    ]);
  });

  it('fall back to the name where a value has no short form', () => {
    expect(shortName('scale')).toBe('pixels/255');
    expect(displayName('scale')).toBe('pixels / 255');
    expect(shortName('relu')).toBe('ReLU');
  });
});
