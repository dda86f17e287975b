import type { CandidateRate, TrialCandidate } from './engineTrial.ts';
import { formatCount, formatSeconds } from './format.ts';

/**
 * The measuring `auto` in words, for Details: the candidates' rates and outcomes
 * (`engineTrial.ts`), and the engine's reason when the trial chose it.
 */

/**
 * A candidate in words: `short` as the rates list shows it (`fused WASM (1 thread)`, `TF.js ops
 * on webgl`), `long` as the reason names the winner (`fused WebAssembly kernel`). The trial times
 * the fused kernel on one thread (helpers take longer to start than the trial lasts); the run
 * then measures its thread count, so its rate in the run is at least this.
 */
export function candidateName(candidate: TrialCandidate, form: 'short' | 'long'): string {
  switch (candidate.engine) {
    case 'fused':
      return form === 'short' ? 'fused WASM (1 thread)' : 'fused WebAssembly kernel';
    case 'webgpu':
      return form === 'short' ? 'fused WebGPU' : 'fused WebGPU engine';
    case 'tfjs':
      return `TF.js ops on ${candidate.backend}`;
    default:
      return candidate.engine satisfies never;
  }
}

const rateText = (examplesPerSecond: number) => `${formatCount(examplesPerSecond)} ex/s`;

/** One candidate's line in Details: `fused WASM (1 thread) 98,000 ex/s`, `TF.js ops on webgl: failed (…)`. */
export function describeCandidateRate(rate: CandidateRate): string {
  const label = `${candidateName(rate, 'short')}${rate.software === true ? ' (software)' : ''}`;
  const note = rate.note ?? null;
  const eps = rate.examplesPerSecond;
  switch (rate.outcome) {
    case 'measured':
      return `${label} ${rateText(eps ?? 0)}`;
    case 'slower':
      return `${label} ${rateText(eps ?? 0)} (cut early: clearly slower)`;
    case 'capped':
      return eps === null
        ? `${label}: still starting after ${formatSeconds(rate.trialMs)} (cut)`
        : `${label} ${rateText(eps)} (cut at ${formatSeconds(rate.trialMs)})`;
    case 'failed':
      return `${label}: failed${note === null ? '' : ` (${note})`}`;
    case 'not-needed':
      return `${label}: not needed (another backend runs)`;
    case 'blocked':
      return `${label}: not measured (the ${rate.backend} device was still busy with the candidate cut before it)`;
    case 'trial-full':
    case 'no-time':
      return eps === null
        ? `${label}: not measured (${note ?? 'the trial had used its time'})`
        : `${label} ${rateText(eps)} (partly measured: the trial had used its time)`;
    case 'stopped':
      return `${label}: not measured (the run was stopped)`;
    default:
      return rate.outcome satisfies never;
  }
}

/** Every candidate's line, fastest first, then those without a rate in trial order. */
export function describeRates(rates: readonly CandidateRate[]): string {
  const timed = rates.filter((r) => r.examplesPerSecond !== null);
  timed.sort((a, b) => (b.examplesPerSecond ?? 0) - (a.examplesPerSecond ?? 0));
  const untimed = rates.filter((r) => r.examplesPerSecond === null);
  return [...timed, ...untimed].map(describeCandidateRate).join(' · ');
}

/** Where a choice came from: measured at this run's start, or kept from an earlier day's. */
export type TrialSource =
  | { readonly kind: 'measured' }
  | { readonly kind: 'cached'; /** `YYYY-MM-DD` */ readonly measuredOn: string };

/**
 * The engine's reason in Details for a run too short to measure (`why`, from
 * {@link skipTrialReason}): it takes the fused kernel, which needs no warm-up or shader compile.
 */
export function shortRunReason(why: string): string {
  return `fused WebAssembly kernel: not measured, ${why}; the fused kernel needs no warm-up`;
}

/** The engine's reason in Details when the trial chose it. */
export function trialReason(winner: TrialCandidate, source: TrialSource): string {
  const name = candidateName(winner, 'long');
  switch (source.kind) {
    case 'measured':
      return `${name}: measured fastest here`;
    case 'cached':
      return `${name}: fastest in a measurement on ${source.measuredOn}, kept for this device and model shape`;
    default:
      return source satisfies never;
  }
}
