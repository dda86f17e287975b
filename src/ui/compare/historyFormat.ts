import { formatPercent } from '../../core/format.ts';
import type { RunEnvironment, RunRecord } from '../../core/runRecord.ts';

/** Cell texts of the run history, kept apart from the components so they can be tested plainly. */

/**
 * E.g. "wasm · 4 threads · fused · Chromium 156": what a training time depends on. Threads show
 * only above 1 and other runs sharing the CPU only when there were some, to keep the usual case short.
 */
export function describeEnvironment(environment: RunEnvironment): string {
  const parts = [environment.backend];
  if (environment.threads > 1) parts.push(`${environment.threads} threads`);
  parts.push(environment.engine, environment.browser);
  if (environment.concurrentRuns > 0) {
    parts.push(
      `alongside ${environment.concurrentRuns} other ${environment.concurrentRuns === 1 ? 'run' : 'runs'}`,
    );
  }
  return parts.filter((part) => part !== '').join(' · ');
}

/** An accuracy fraction as a percentage with 2 decimals; "—" when the run has none. */
export function formatAccuracy(fraction: number | null): string {
  return fraction === null ? '—' : formatPercent(fraction, 2);
}

/**
 * When a run finished, in the reader's locale and time zone (the history is theirs alone); date
 * and time apart so a narrow column can put them on two lines.
 */
export function formatFinishedAt(createdAt: number, locale?: string): { date: string; time: string } {
  const when = new Date(createdAt);
  return {
    date: when.toLocaleDateString(locale, { dateStyle: 'medium' }),
    time: when.toLocaleTimeString(locale, { timeStyle: 'short' }),
  };
}

export const SOURCE_NAMES: Record<RunRecord['source'], string> = { train: 'Train', compare: 'Compare' };

/** Null when nothing was skipped. */
export function skippedNote(skipped: number): string | null {
  if (skipped <= 0) return null;
  return skipped === 1
    ? '1 stored run could not be read and was left untouched.'
    : `${skipped} stored runs could not be read and were left untouched.`;
}
