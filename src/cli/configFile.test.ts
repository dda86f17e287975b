import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config.ts';
import { loadConfigFile } from './configFile.ts';

const dir = mkdtempSync(join(tmpdir(), 'mlp-cli-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadConfigFile', () => {
  it('loads a valid config', () => {
    const result = loadConfigFile(file('ok.json', JSON.stringify(DEFAULT_CONFIG)));
    expect(result).toEqual({ ok: true, config: DEFAULT_CONFIG });
  });

  it('says when the file does not exist', () => {
    const path = join(dir, 'missing.json');
    expect(loadConfigFile(path)).toEqual({
      ok: false,
      message: `Config file not found: ${path}`,
      details: [],
    });
  });

  it('says when the path is a directory', () => {
    expect(loadConfigFile(dir)).toMatchObject({
      ok: false,
      message: `Config path is a directory, not a file: ${dir}`,
    });
  });

  it('says when the file is not JSON', () => {
    const path = file('bad.json', '{ "version": 2,');
    const result = loadConfigFile(path);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toMatch(new RegExp(`^Config file ${path} is not valid JSON: `));
      expect(result.message).not.toContain('\n');
    }
  });

  it('keeps a message from the file on one line, escaping control characters', () => {
    const result = loadConfigFile(file('escape.json', '\u001b[2J\nnot json'));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toContain('\\u001b[2J\\u000a');
      // eslint-disable-next-line no-control-regex -- finding control characters is the point
      expect(result.message).not.toMatch(/[\u0000-\u001f]/);
    }
  });

  it('lists every invalid field with its path', () => {
    const config = {
      ...DEFAULT_CONFIG,
      optimizer: { ...DEFAULT_CONFIG.optimizer, learningRate: 0 },
      training: { ...DEFAULT_CONFIG.training, epochs: 1.5 },
    };
    const path = file('invalid.json', JSON.stringify(config));
    expect(loadConfigFile(path)).toEqual({
      ok: false,
      message: `Config file ${path} is not a valid config (2 problems):`,
      details: [
        'optimizer.learningRate: Learning rate must be greater than 0',
        'training.epochs: Epochs must be a whole number',
      ],
    });
  });

  it('refuses a file too large to be a config before parsing it', () => {
    const path = file('huge.json', `{"name": "${'x'.repeat(200_000)}"}`);
    expect(loadConfigFile(path)).toEqual({
      ok: false,
      message: `Config file ${path} is too large to be a config (200,012 characters; at most 100,000)`,
      details: [],
    });
  });

  it('refuses a config from a newer version', () => {
    const result = loadConfigFile(file('v9.json', JSON.stringify({ ...DEFAULT_CONFIG, version: 9 })));
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('(1 problem)') });
  });
});
