import type { EpochAnalysis } from '../core/analysisTypes.ts';
import { describeValue } from '../core/describeValue.ts';
import { AnalysisSession } from '../ml/analysisSession.ts';
import type { AnalysisCommand, AnalysisReply } from './analysisProtocol.ts';
import { analysisTransferables } from './protocol.ts';

/** What the analysis worker's service needs from its surroundings (the entry file, or a test). */
export interface AnalysisServiceEnvironment {
  /** The one way replies leave the analysis worker (typed arrays transferred). */
  post(reply: AnalysisReply, transfer: Transferable[]): void;
  /** Brings a TF.js backend up and says which. */
  bringUpBackend(): Promise<string>;
  /** The clock in ms; in a worker `performance.now()`, which starts with the worker. */
  now(): number;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Everything the analysis worker does, without `self` (the entry file, `analysis.worker.ts`,
 * wires it), so it runs in unit tests: one {@link AnalysisSession}, commands handled one after
 * another in arrival order, each `analyse` answered once by its `jobId`. The backend comes up as
 * the worker starts, while the first epoch trains; every analysis says which backend computed it
 * and when it was up (`EpochAnalysis.worker`).
 */
export class AnalysisService {
  private readonly session: AnalysisSession;
  private readonly ready: Promise<NonNullable<EpochAnalysis['worker']>>;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly env: AnalysisServiceEnvironment) {
    this.session = new AnalysisSession(() => env.now());
    this.ready = env.bringUpBackend().then((backend) => ({ backend, startupMs: env.now() }));
    // A failed start is reported to every analysis that needed it, not as an unhandled rejection.
    this.ready.catch(() => {});
  }

  /** Queues `command` behind the ones before it (analyses must not overlap). */
  receive(command: AnalysisCommand): void {
    this.queue = this.queue.then(() => this.handle(command));
  }

  /** Resolves once every command received so far is handled (for tests). */
  idle(): Promise<void> {
    return this.queue;
  }

  private async handle(command: AnalysisCommand): Promise<void> {
    switch (command.type) {
      case 'test-images': {
        const { images, labels } = command;
        try {
          this.session.setTestImages({ count: labels.length, pixels: images, labels });
        } catch {
          // Analyses then fail saying they have no test images, naming their epoch.
        }
        return;
      }
      case 'analyse':
        return this.analyse(command);
      case 'end-run':
        this.session.endRun(command.runId);
        return;
      default: {
        const unknown: never = command;
        throw new Error(`Unknown analysis command ${describeValue(unknown)}`);
      }
    }
  }

  private async analyse(command: Extract<AnalysisCommand, { type: 'analyse' }>): Promise<void> {
    const { jobId } = command;
    try {
      const worker = await this.ready;
      const analysis = { ...(await this.session.analyse(command.run, command.snapshot)), worker };
      this.env.post({ type: 'analysed', jobId, analysis }, analysisTransferables(analysis));
    } catch (error) {
      this.env.post({ type: 'failed', jobId, message: messageOf(error) }, []);
    }
  }
}
