import { validateConfig } from '../core/config.ts';
import { runRangeTest } from '../ml/lrRangeTest.ts';
import type { MnistData } from '../ml/runTypes.ts';
import type { WorkerRequest } from './protocol.ts';
import type { SessionEnvironment } from './SessionResources.ts';

type FindCommand = Extract<WorkerRequest, { type: 'find-learning-rate' }>;

/** Progress events at most this often (ms), so a fast sweep does not flood the page. */
const PROGRESS_EVERY_MS = 100;

/** A range test under way: how to stop it, and when it has ended (freed its tensors). */
interface ActiveTest {
  cancelled: boolean;
  readonly done: Promise<unknown>;
}

/**
 * The worker's learning-rate range tests (`find-learning-rate`), apart from `WorkerSession` so
 * its file stays small: one test at a time (a newer request, or a run starting, cancels the one
 * under way, whose request then gets an `error`), progress posted as `request-progress`, the
 * answer as `learning-rate-found`. The test trains its own fresh model (`ml/lrRangeTest.ts`), so
 * the worker's finished or loaded model is never touched.
 */
export class RangeTests {
  private active: ActiveTest | null = null;

  constructor(private readonly env: SessionEnvironment) {}

  /** Runs `command`'s test on `data` and posts its answer; throws (for an `error`) when it fails. */
  async run(command: FindCommand, data: MnistData): Promise<void> {
    const validation = validateConfig(command.config);
    if (!validation.ok)
      throw new Error('The config is invalid: fix the form before finding a learning rate.');
    await this.cancel();
    const { env } = this;
    const { runId, requestId } = command;
    let lastPost = Number.NEGATIVE_INFINITY;
    const test: { cancelled: boolean; done: Promise<unknown> } = {
      cancelled: false,
      done: Promise.resolve(),
    };
    const result = runRangeTest(validation.config, data, {
      now: () => env.now(),
      yieldToEventLoop: () => env.yieldToEventLoop(),
      cancelled: () => test.cancelled,
      onProgress: (done, total) => {
        const now = env.now();
        if (now - lastPost < PROGRESS_EVERY_MS) return;
        lastPost = now;
        env.post({ type: 'request-progress', runId, progressOf: requestId, done, total });
      },
    });
    test.done = result.catch(() => undefined);
    this.active = test;
    try {
      env.post({ type: 'learning-rate-found', runId, requestId, result: await result });
    } finally {
      if (this.active === test) this.active = null;
    }
  }

  /** Stops the test under way, if any, and waits until it has freed its tensors. */
  async cancel(): Promise<void> {
    const test = this.active;
    if (test === null) return;
    test.cancelled = true;
    await test.done;
  }
}
