import type { StepKind } from '../core/runReports.ts';
import type { StepEngine } from './engine.ts';
import type { ReportingWindow } from './reportingWindow.ts';
import type { LoopHooks } from './runTypes.ts';

/**
 * The gate before every batch: lets it through while running, waits out a pause, and lets
 * exactly one batch (`step('batch')`) or the rest of the epoch (`step('epoch')`) through while
 * paused. It says `onPaused` once per pause (after reporting the steps so far, so the page shows
 * what it paused on), `onStepStarted` when a requested step begins, and `onResumed` when training
 * goes on after a pause or a step.
 */
export class PauseGate {
  /** The step request being served: through to the next batch, or to the end of the epoch. */
  private stepMode: StepKind | null = null;
  /** True from the start of a requested step until the next `onPaused`/`onResumed`. */
  private stepping = false;

  constructor(
    private readonly hooks: Pick<LoopHooks, 'control' | 'onPaused' | 'onResumed' | 'onStepStarted'>,
    private readonly window: ReportingWindow,
    private readonly engine: Pick<StepEngine, 'syncModel'>,
  ) {}

  /**
   * Before batch `batchInEpoch` (batches done so far) of `epoch`: resolves true to train it, or
   * false when the run is stopped (also when a pause's report found the loss diverged: the run
   * ends rather than waits).
   */
  async pass(epoch: number, batchInEpoch: number): Promise<boolean> {
    const { control } = this.hooks;
    if (this.stepMode === 'epoch') return !control.stopRequested;
    if (this.stepMode === 'batch') this.stepMode = null;
    let announced = false;
    while (control.paused && !control.stopRequested) {
      if (!announced) {
        if (this.window.hasPoints) await this.window.report(epoch, batchInEpoch);
        if (this.window.diverged !== null) return false;
        // Paused weights are current in the model, for anything that reads them meanwhile.
        this.engine.syncModel();
        this.hooks.onPaused();
        announced = true;
      }
      await control.waitWhilePaused();
      const request = control.takeStepRequest();
      if (request !== null && !control.stopRequested) {
        this.stepMode = request;
        this.hooks.onStepStarted?.(request);
        break;
      }
    }
    if (control.stopRequested) return false;
    // Resumed after a pause, or while a step ran: say so once.
    if (this.stepMode === null && (announced || this.stepping)) this.hooks.onResumed();
    this.stepping = this.stepMode !== null;
    if (announced) this.window.restart();
    return true;
  }

  /** The epoch's batches and evaluation are done: a `step('epoch')` request is served. */
  epochDone(): void {
    if (this.stepMode === 'epoch') this.stepMode = null;
  }
}
