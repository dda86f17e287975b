import type { EpochAnalysis } from '../core/analysisTypes.ts';
import type { LabelledImages } from '../core/idx.ts';
import type { AnalysedRun, EpochSnapshot } from '../ml/analysisSession.ts';
import { NewestSnapshotAnalyser, type AnalysisSink, type EpochAnalyser } from '../ml/epochAnalyser.ts';
import type { AnalysisCommand, AnalysisReply } from './analysisProtocol.ts';

/**
 * The training worker's side of the analysis worker: one analysis worker per training worker
 * (started when the page prepares, else with the first run that wants analyses),
 * the test images sent to it once, and one {@link EpochAnalyser} per run. Only the newest run is
 * analysed: a new run cancels the previous run's waiting analyses. A crashed analysis worker fails
 * the analysis in flight; the next snapshot starts a fresh one.
 */

/** Where the training worker's runs get their analysers (the session's environment holds one). */
export interface AnalysisHost {
  /** Starts the analysis worker with `test` ahead of the first run (its start-up is then paid before Train). */
  prepare(test: LabelledImages): void;
  /** The analyser of `run` over `test`; the previous run's analyses are cancelled. */
  forRun(run: AnalysedRun, test: LabelledImages, sink: AnalysisSink): EpochAnalyser;
  /** Cancels `runId`'s analyses if they are still going (the page reset a finished run). */
  cancel(runId: string): void;
}

/** The analysis worker as the host uses it: a `Worker`, or a stand-in in tests. */
export interface AnalysisPort {
  postMessage(command: AnalysisCommand, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<AnalysisReply>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

interface PendingJob {
  resolve(analysis: EpochAnalysis): void;
  reject(error: Error): void;
}

/**
 * After each analysis the analysis worker rests twice as long as it worked, so it takes at most a
 * third of a core: on a 2-core machine the fused kernel's threads keep most of both (fast runs
 * then show every second or third epoch's views; the last epoch's always).
 */
const ANALYSIS_REST_FACTOR = 2;

export class WorkerAnalysisHost implements AnalysisHost {
  /** Analysis workers started so far: 1 in a healthy session, one more after each crash. */
  started = 0;
  private port: AnalysisPort | null = null;
  /** The images the current analysis worker has (by identity: the session's MNIST is loaded once). */
  private sentImages: LabelledImages | null = null;
  private lastJobId = 0;
  private readonly jobs = new Map<number, PendingJob>();
  private current: { readonly runId: string; readonly analyser: EpochAnalyser } | null = null;

  constructor(private readonly createPort: () => AnalysisPort) {}

  prepare(test: LabelledImages): void {
    this.portWith(test);
  }

  forRun(run: AnalysedRun, test: LabelledImages, sink: AnalysisSink): EpochAnalyser {
    this.current?.analyser.dispose();
    this.portWith(test);
    const analyser: EpochAnalyser = new NewestSnapshotAnalyser(
      (snapshot) => this.ask(run, snapshot, test),
      sink,
      () => {
        this.port?.postMessage({ type: 'end-run', runId: run.runId }, []);
        if (this.current?.analyser === analyser) this.current = null;
      },
      ANALYSIS_REST_FACTOR,
    );
    this.current = { runId: run.runId, analyser };
    return analyser;
  }

  cancel(runId: string): void {
    if (this.current?.runId === runId) this.current.analyser.dispose();
  }

  /** Cancels every analysis and ends the analysis worker. */
  dispose(): void {
    this.current?.analyser.dispose();
    this.stopWorker('The analysis worker was closed');
  }

  /** The analysis worker (started if there is none), holding `test`. */
  private portWith(test: LabelledImages): AnalysisPort {
    let port = this.port;
    if (port === null) {
      port = this.createPort();
      this.port = port;
      this.started += 1;
      this.sentImages = null;
      port.onmessage = (event) => this.settle(event.data);
      port.onerror = (event) => {
        event.preventDefault();
        this.stopWorker(`The analysis worker stopped: ${event.message || 'unknown error'}`);
      };
    }
    if (this.sentImages !== test) {
      // Copies, transferred: the training worker keeps its own for the final test evaluation.
      const images = test.pixels.slice();
      const labels = test.labels.slice();
      port.postMessage({ type: 'test-images', images, labels }, [images.buffer, labels.buffer]);
      this.sentImages = test;
    }
    return port;
  }

  private ask(run: AnalysedRun, snapshot: EpochSnapshot, test: LabelledImages): Promise<EpochAnalysis> {
    const port = this.portWith(test);
    this.lastJobId += 1;
    const jobId = this.lastJobId;
    return new Promise<EpochAnalysis>((resolve, reject) => {
      this.jobs.set(jobId, { resolve, reject });
      const buffers = snapshot.parameters.map((p) => p.data.buffer as ArrayBuffer);
      port.postMessage({ type: 'analyse', jobId, run, snapshot }, buffers);
    });
  }

  private settle(reply: AnalysisReply): void {
    const job = this.jobs.get(reply.jobId);
    if (job === undefined) return;
    this.jobs.delete(reply.jobId);
    if (reply.type === 'analysed') job.resolve(reply.analysis);
    else job.reject(new Error(reply.message));
  }

  private stopWorker(message: string): void {
    this.port?.terminate();
    this.port = null;
    this.sentImages = null;
    const jobs = [...this.jobs.values()];
    this.jobs.clear();
    jobs.forEach((job) => job.reject(new Error(message)));
  }
}
