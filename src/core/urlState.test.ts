import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config.ts';
import { lessonById } from './lessons.ts';
import { encodeConfigToSearch } from './urlCodec.ts';
import { URL_PARAMS, readUrlState, withUrlChoice } from './urlState.ts';

describe('readUrlState', () => {
  it('opens the defaults from a bare link', () => {
    expect(readUrlState('')).toEqual({
      backend: 'auto',
      engine: 'auto',
      threads: 'auto',
      view: 'train',
      lesson: null,
      present: false,
      config: DEFAULT_CONFIG,
      warnings: [],
      configErrors: null,
    });
  });

  it('reads every parameter of the table by name', () => {
    const config = { ...DEFAULT_CONFIG, seed: 7 };
    const search = encodeConfigToSearch(config, '?backend=wasm&engine=tfjs&threads=2&view=compare&present=1');
    expect(readUrlState(search)).toMatchObject({
      backend: 'wasm',
      engine: 'tfjs',
      threads: 2,
      view: 'compare',
      present: true,
      config,
      warnings: [],
    });
  });

  it('opens a lesson with its config and its view, unless the link says otherwise', () => {
    const race = lessonById('optimizers');
    const single = lessonById('overfitting');
    expect(race?.variants).toBeDefined();
    expect(readUrlState('?lesson=optimizers')).toMatchObject({
      lesson: race,
      view: 'compare',
      config: race?.config,
    });
    expect(readUrlState('?lesson=overfitting')).toMatchObject({
      lesson: single,
      view: 'train',
      config: single?.config,
    });
    expect(readUrlState('?lesson=optimizers&view=train').view).toBe('train');
    const linked = { ...DEFAULT_CONFIG, seed: 99 };
    expect(readUrlState(encodeConfigToSearch(linked, '?lesson=overfitting')).config).toEqual(linked);
  });

  it('falls back to the default for anything unknown, and says so', () => {
    const state = readUrlState(
      `?backend=quantum&engine=magic&threads=0&lesson=nope&view=${'x'.repeat(60)}&present=yes`,
    );
    expect(state).toMatchObject({
      backend: 'auto',
      engine: 'auto',
      threads: 'auto',
      lesson: null,
      view: 'train',
      present: false,
    });
    expect(state.warnings).toEqual([
      'The link asks for an unknown backend "quantum"; using auto instead.',
      'The link asks for an unknown engine "magic"; using auto instead.',
      'The link asks for an unknown threads "0"; measuring the fastest instead.',
      'The link asks for an unknown lesson "nope".',
      `The link asks for an unknown view "${'x'.repeat(40)}"; showing Train.`,
    ]);
  });

  it('reports a bad config and uses the defaults', () => {
    const state = readUrlState('?config=bm90IGpzb24&lesson=dropout');
    expect(state.config).toEqual(DEFAULT_CONFIG);
    expect(state.configErrors).toEqual({ '(config)': 'The config in the link is not valid JSON' });
  });
});

describe('withUrlChoice', () => {
  it('writes names, leaves defaults out, and keeps the other parameters', () => {
    const search = encodeConfigToSearch(DEFAULT_CONFIG, '?backend=cpu');
    const withEngine = withUrlChoice(search, 'engine', 'fused');
    expect(new URLSearchParams(withEngine).get('engine')).toBe('fused');
    expect(new URLSearchParams(withEngine).get('backend')).toBe('cpu');
    expect(readUrlState(withEngine).config).toEqual(DEFAULT_CONFIG);
    expect(new URLSearchParams(withUrlChoice(withEngine, 'engine', 'auto')).has('engine')).toBe(false);
    expect(withUrlChoice('?view=compare', 'view', 'train')).toBe('');
    expect(withUrlChoice('', 'present', true)).toBe('?present=1');
    expect(withUrlChoice('?present=1', 'present', false)).toBe('');
    expect(withUrlChoice('', 'lesson', lessonById('overfitting'))).toBe('?lesson=overfitting');
    expect(withUrlChoice('?lesson=overfitting', 'lesson', null)).toBe('');
  });

  it('round-trips every parameter through the link', () => {
    const choices = {
      backend: 'webgl',
      engine: 'tfjs',
      view: 'compare',
      lesson: lessonById('overfitting'),
      present: true,
    } as const;
    let search = '';
    for (const key of Object.keys(URL_PARAMS) as (keyof typeof choices)[]) {
      search = withUrlChoice(search, key, choices[key] as never);
    }
    expect(readUrlState(search)).toMatchObject(choices);
  });
});
