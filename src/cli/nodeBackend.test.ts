import { describe, expect, it, vi } from 'vitest';
import type { BackendChoice } from '../core/backends.ts';

const tried: BackendChoice[] = [];
vi.mock('../ml/backend.ts', () => ({
  selectBackend: async (choice: BackendChoice) => {
    tried.push(choice);
    if (choice === 'wasm') throw new Error('The wasm backend is not usable here: failed to initialise');
    return { name: choice, notes: [] };
  },
}));

const { setUpBackend } = await import('./nodeBackend.ts');

describe('setUpBackend', () => {
  it('falls back to cpu when wasm is not usable, and says why', async () => {
    tried.length = 0;
    expect(await setUpBackend('wasm')).toEqual({
      name: 'cpu',
      threads: 1,
      fallbackReason: 'The wasm backend is not usable here: failed to initialise',
    });
    expect(tried).toEqual(['wasm', 'cpu']);
  });

  it('brings up cpu when asked, with nothing to report', async () => {
    tried.length = 0;
    expect(await setUpBackend('cpu')).toEqual({ name: 'cpu', threads: 1, fallbackReason: null });
    expect(tried).toEqual(['cpu']);
  });
});
