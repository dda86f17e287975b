import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config.ts';
import { MNIST_PIXELS } from '../core/idx.ts';
import { TrainingRun, type StartCommand } from './TrainingRun.ts';

const start = (extraTraining: StartCommand['extraTraining']): StartCommand => ({
  type: 'start',
  runId: 'run-1',
  backend: 'cpu',
  config: DEFAULT_CONFIG,
  ...(extraTraining ? { extraTraining } : {}),
});

describe('a start command with My digits mixed in', () => {
  it('starts when the drawings match their labels', () => {
    const labels = Uint8Array.of(1, 7);
    const run = new TrainingRun(start({ images: new Uint8Array(2 * MNIST_PIXELS), labels, repeat: 10 }));
    expect(run.start.extraTraining?.repeat).toBe(10);
  });

  it('is refused with a message when the shapes disagree', () => {
    const labels = Uint8Array.of(1, 7);
    expect(
      () => new TrainingRun(start({ images: new Uint8Array(MNIST_PIXELS), labels, repeat: 10 })),
    ).toThrow('Extra training images: 2 labels need 1568 bytes of images (2 × 784), not 784.');
    expect(
      () => new TrainingRun(start({ images: new Uint8Array(2 * MNIST_PIXELS), labels, repeat: 1_000 })),
    ).toThrow(/repeat must be a whole number 1–100/);
  });
});
