import type { RunControl } from './trainingLoop.ts';

/** Pause/resume/stop flags for one run, shared by the worker and the CLI (Ctrl-C → stop). */
export class RunController implements RunControl {
  private stopFlag = false;
  private pauseFlag = false;
  private wakeUps: Array<() => void> = [];

  get stopRequested(): boolean {
    return this.stopFlag;
  }

  get paused(): boolean {
    return this.pauseFlag;
  }

  pause(): void {
    if (!this.stopFlag) this.pauseFlag = true;
  }

  resume(): void {
    this.pauseFlag = false;
    this.wake();
  }

  stop(): void {
    this.stopFlag = true;
    this.pauseFlag = false;
    this.wake();
  }

  waitWhilePaused(): Promise<void> {
    if (!this.pauseFlag) return Promise.resolve();
    return new Promise((resolve) => this.wakeUps.push(resolve));
  }

  private wake(): void {
    const waiting = this.wakeUps;
    this.wakeUps = [];
    for (const resolve of waiting) resolve();
  }
}
