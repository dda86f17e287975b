import type { StepKind } from '../core/runReports.ts';

/** The slowest the Speed control goes: one step every 5 s. */
export const MAX_STEP_DELAY_MS = 5000;

/**
 * How one run is steered: pause/resume/stop, single steps, a learning-rate override and a delay
 * after every step. The one controller the loop takes (`LoopHooks.control`); the worker drives it
 * from the page's commands, the CLI from Ctrl-C (→ stop), tests directly. The loop only reads its
 * state and awaits its waits. Plain JS with no DOM, so it works in Node.
 */
export class RunController {
  private stopFlag = false;
  private pauseFlag = false;
  private stepRequest: StepKind | null = null;
  private override: number | null = null;
  private delayMs = 0;
  private wakeUps: Array<() => void> = [];

  get stopRequested(): boolean {
    return this.stopFlag;
  }

  get paused(): boolean {
    return this.pauseFlag;
  }

  get learningRateOverride(): number | null {
    return this.override;
  }

  get stepDelayMs(): number {
    return this.delayMs;
  }

  pause(): void {
    if (this.stopFlag) return;
    this.pauseFlag = true;
    this.wake();
  }

  resume(): void {
    this.pauseFlag = false;
    this.stepRequest = null;
    this.wake();
  }

  stop(): void {
    this.stopFlag = true;
    this.pauseFlag = false;
    this.stepRequest = null;
    this.wake();
  }

  /**
   * While paused, runs exactly one batch (`'batch'`) or the rest of the current epoch including
   * its validation (`'epoch'`), then the loop pauses again. Ignored when not paused or stopped.
   */
  step(kind: StepKind): void {
    if (!this.pauseFlag || this.stopFlag) return;
    this.stepRequest = kind;
    this.wake();
  }

  /** Overrides the schedule's learning rate from the next step on; null returns to the schedule. */
  setLearningRate(learningRate: number | null): void {
    if (learningRate !== null && !(Number.isFinite(learningRate) && learningRate > 0)) {
      throw new RangeError(`Learning rate must be a positive number, got ${learningRate}`);
    }
    this.override = learningRate;
  }

  /**
   * Slows training down for a class to watch: the loop waits this long after every step (0 = full
   * speed). Takes effect at once, cutting short a wait in progress.
   */
  setStepDelay(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= 0 && ms <= MAX_STEP_DELAY_MS)) {
      throw new RangeError(`Step delay must be between 0 and ${MAX_STEP_DELAY_MS} ms, got ${ms}`);
    }
    this.delayMs = ms;
    this.wake();
  }

  /** Waits out the step delay; resolves early on pause, stop or a new delay. */
  waitStepDelay(): Promise<void> {
    if (this.delayMs <= 0 || this.stopFlag || this.pauseFlag) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, this.delayMs);
      this.wakeUps.push(done);
    });
  }

  /** Returns and clears the pending {@link step} request (the loop calls it after a wait). */
  takeStepRequest(): StepKind | null {
    const request = this.stepRequest;
    this.stepRequest = null;
    return request;
  }

  /** Resolves when the run is resumed or stopped, or a step is requested (at once if not paused). */
  waitWhilePaused(): Promise<void> {
    if (!this.pauseFlag || this.stepRequest !== null) return Promise.resolve();
    return new Promise((resolve) => this.wakeUps.push(resolve));
  }

  private wake(): void {
    const waiting = this.wakeUps;
    this.wakeUps = [];
    for (const resolve of waiting) resolve();
  }
}
