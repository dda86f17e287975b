import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.ts';

describe('parseArgs', () => {
  it('reads --config with defaults for the rest', () => {
    expect(parseArgs(['--config', 'configs/a.json'])).toEqual({
      kind: 'run',
      options: {
        configPath: 'configs/a.json',
        outPath: null,
        backend: 'wasm',
        engine: 'auto',
        threads: 'auto',
      },
    });
  });

  it('reads every flag, as separate words or with =', () => {
    expect(parseArgs(['--out=r.json', '--backend', 'cpu', '--config=c.json', '--threads=2'])).toEqual({
      kind: 'run',
      options: { configPath: 'c.json', outPath: 'r.json', backend: 'cpu', engine: 'auto', threads: 2 },
    });
    expect(parseArgs(['--config', 'c.json', '--threads', 'auto'])).toMatchObject({
      options: { threads: 'auto' },
    });
  });

  it('answers --help and -h', () => {
    expect(parseArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseArgs(['--config', 'c.json', '-h'])).toEqual({ kind: 'help' });
  });

  it.each([
    [[], 'Missing --config <file.json>'],
    [['--out', 'r.json'], 'Missing --config <file.json>'],
    [['--config'], '--config needs a value'],
    [['--config='], '--config needs a value'],
    [['--config', '--out', 'r.json'], '--config needs a value'],
    [['--config', 'a.json', '--config', 'b.json'], '--config given more than once'],
    [['--config', 'a.json', '--backend', 'webgl'], 'Unknown backend "webgl" (expected wasm or cpu)'],
    [['--config', 'a.json', '--engine', 'gpu'], 'Unknown engine "gpu" (expected auto, fused, tfjs)'],
    [['--config', 'a.json', '--epochs', '3'], 'Unknown option --epochs'],
    [
      ['--config', 'a.json', '--threads', '0'],
      '--threads must be auto or a whole number from 1 to 64, not "0"',
    ],
    [
      ['--config', 'a.json', '--threads', '1.5'],
      '--threads must be auto or a whole number from 1 to 64, not "1.5"',
    ],
    [['configs/a.json'], 'Unexpected argument configs/a.json'],
  ])('refuses %j with a one-line message', (argv, message) => {
    expect(parseArgs(argv)).toEqual({ kind: 'error', message });
  });
});
