import type { BatchReport, EpochReport, RunStartReport } from '../core/runReports.ts';
import type { EpochRecord, RunSummary } from './report.ts';

/**
 * Turns the engine's hook calls into {@link EpochRecord}s, adding examples/s of each epoch from
 * its training time, and keeps the examples seen as the loop counted them (a stopped partial
 * epoch and a short last batch included).
 */
export class EpochRecorder {
  readonly epochs: EpochRecord[] = [];
  run: RunSummary | null = null;
  /** Training examples seen, from the latest report. */
  private seen = 0;

  start(info: RunStartReport): RunSummary {
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

  batches(report: Pick<BatchReport, 'examples'>): void {
    this.seen = report.examples.at(-1) ?? this.seen;
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
    this.seen = report.examples;
    this.epochs.push(record);
    return record;
  }

  /** Training examples seen: whole epochs plus the batches of an epoch cut short by a stop. */
  examplesSeen(): number {
    return this.seen;
  }
}
