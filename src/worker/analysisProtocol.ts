import type { EpochAnalysis } from '../core/analysisTypes.ts';
import type { AnalysedRun, EpochSnapshot } from '../ml/analysisSession.ts';

/**
 * The messages between the training worker and its analysis worker (`analysis.worker.ts`), which
 * computes each epoch's error analysis while the next epoch trains. Typed arrays are transferred.
 * The training worker sends the test images once per session, then one `analyse` per epoch it
 * wants analysed (at most one waiting at a time, see `NewestSnapshotAnalyser`), and `end-run`
 * when a run's analyses are over; each `analyse` is answered once, by its `jobId`.
 */

/** Training worker → analysis worker. */
export type AnalysisCommand =
  /** The images every later analysis runs over: `images [count, 784]` bytes, `labels [count]`. */
  | { readonly type: 'test-images'; readonly images: Uint8Array; readonly labels: Uint8Array }
  | {
      readonly type: 'analyse';
      readonly jobId: number;
      readonly run: AnalysedRun;
      readonly snapshot: EpochSnapshot;
    }
  /** Frees the run's model; its later snapshots, if any, would start afresh. */
  | { readonly type: 'end-run'; readonly runId: string };

/** Analysis worker → training worker: the answer to one `analyse`. */
export type AnalysisReply =
  | { readonly type: 'analysed'; readonly jobId: number; readonly analysis: EpochAnalysis }
  | { readonly type: 'failed'; readonly jobId: number; readonly message: string };
