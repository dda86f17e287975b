import type { BatchReport, EpochReport, RunStartInfo } from '../ml/trainingLoop.ts';
import type { EpochRecord, RunSummary } from './report.ts';

/**
 * Turns the engine's hook calls into {@link EpochRecord}s, adding examples/s of each epoch from
 * its training time, and counts the examples seen (whole epochs plus a stopped partial one).
 */
export class EpochRecorder {
  readonly epochs: EpochRecord[] = [];
  run: RunSummary | null = null;
  /** Optimisation steps reported in the epoch under way. */
  private steps = 0;

  start(info: RunStartInfo): RunSummary {
    this.run = {
      trainingExamples: info.trainingExamples,
      validationExamples: info.validationExamples,
      batchesPerEpoch: info.batchesPerEpoch,
      batchSize: info.batchSize,
      parameterCount: info.parameterCount,
      normalization: info.normalization,
    };
    return this.run;
  }

  batches(report: Pick<BatchReport, 'losses'>): void {
    this.steps += report.losses.length;
  }

  epoch(report: EpochReport): EpochRecord {
    const examples = this.run?.trainingExamples ?? 0;
    const record: EpochRecord = {
      epoch: report.epoch,
      trainLoss: report.trainLoss,
      trainAccuracy: report.trainAccuracy,
      validationLoss: report.validation?.loss ?? null,
      validationAccuracy: report.validation?.accuracy ?? null,
      learningRate: report.learningRate,
      epochMs: report.epochMs,
      examplesPerSecond: report.epochMs > 0 ? (examples * 1000) / report.epochMs : 0,
    };
    this.steps = 0;
    this.epochs.push(record);
    return record;
  }

  /** Training examples seen: whole epochs plus the batches of an epoch cut short by a stop. */
  examplesSeen(): number {
    const run = this.run;
    if (run === null) return 0;
    const partial = Math.min(this.steps * run.batchSize, run.trainingExamples);
    return this.epochs.length * run.trainingExamples + partial;
  }
}
