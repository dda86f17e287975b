import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { Phase } from '../../client/runState.ts';
import type { PredictionView, TrainerSession } from '../../client/TrainerSession.ts';
import { useNewestAnswer } from '../useNewestAnswer.ts';

/** At most one prediction per this many ms while a stroke is being drawn. */
const THROTTLE_MS = 100;
/** While training, ask again this often so the answer follows the changing weights. */
const REFRESH_MS = 1000;

export interface PadPrediction {
  /** The 28×28 input last sent (null: nothing drawn or picked). */
  readonly input: Uint8Array | null;
  /** The answer for the current input, or null while none has come back yet. */
  readonly prediction: PredictionView | null;
  /** Send `pixels` now (null clears); `strokeEndAt` (performance.now()) starts a latency measurement. */
  submit(pixels: Uint8Array | null, strokeEndAt?: number): void;
  /** Send at most every 100 ms while drawing; the last call is always sent. */
  throttle(compute: () => Uint8Array | null): void;
  /** Gets stroke end → answer shown, in ms, as `data-latency-ms` and text. */
  readonly latencyRef: RefObject<HTMLElement | null>;
}

/**
 * Live prediction for the drawing pad: throttled while drawing, immediate at stroke end, and
 * refreshed when the model changes (new epoch, end of the run, a model loaded, every second while
 * training). Only the newest answer counts, and answers to inputs the pad no longer shows are
 * hidden: each question has a ticket, increasing, and an answer shows if its ticket is at least
 * that of the first question about the current input.
 */
export function usePadPrediction(
  request: TrainerSession['request'],
  phase: Phase,
  epoch: number,
  modelRevision = 0,
): PadPrediction {
  const [input, setInput] = useState<Uint8Array | null>(null);
  const [since, setSince] = useState<number | null>(null);
  const [latest, track] = useNewestAnswer<PredictionView>();
  const inputRef = useRef<Uint8Array | null>(null);
  const lastSentAt = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pendingCompute = useRef<(() => Uint8Array | null) | null>(null);
  const latency = useRef<{ ticket: number; start: number } | null>(null);
  const latencyRef = useRef<HTMLElement | null>(null);
  // A copy, as the pad keeps showing its pixels. Returns the question's ticket.
  const predict = useCallback(
    (pixels: Uint8Array) => track(request({ type: 'predict', pixels: pixels.slice() })),
    [request, track],
  );

  const submit = useCallback(
    (pixels: Uint8Array | null, strokeEndAt?: number) => {
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = null;
      inputRef.current = pixels;
      setInput(pixels);
      if (pixels === null) {
        setSince(null);
        latency.current = null;
        return;
      }
      const ticket = predict(pixels);
      lastSentAt.current = performance.now();
      setSince((first) => first ?? ticket);
      if (strokeEndAt !== undefined) latency.current = { ticket, start: strokeEndAt };
    },
    [predict],
  );

  const throttle = useCallback(
    (compute: () => Uint8Array | null) => {
      pendingCompute.current = compute;
      if (timer.current !== null) return;
      const wait = THROTTLE_MS - (performance.now() - lastSentAt.current);
      const send = () => {
        timer.current = null;
        const next = pendingCompute.current;
        if (next) submit(next());
      };
      if (wait <= 0) send();
      else timer.current = setTimeout(send, wait);
    },
    [submit],
  );

  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );

  // The answer is on screen once React has committed it: measure stroke end → shown here.
  useEffect(() => {
    const pending = latency.current;
    const element = latencyRef.current;
    if (!pending || !latest || latest.ticket < pending.ticket) return;
    latency.current = null;
    const ms = Math.round(performance.now() - pending.start);
    if (element) {
      element.dataset['latencyMs'] = String(ms);
      element.textContent = `Updated ${ms} ms after the stroke ended.`;
    }
  }, [latest]);

  // New weights (a new epoch, the end of a run, a model loaded): ask again for what the pad shows.
  useEffect(() => {
    if (inputRef.current) predict(inputRef.current);
  }, [phase, epoch, modelRevision, predict]);
  useEffect(() => {
    if (phase !== 'training') return;
    const id = setInterval(() => {
      if (inputRef.current) predict(inputRef.current);
    }, REFRESH_MS);
    return () => clearInterval(id);
  }, [phase, predict]);

  const prediction = latest !== null && since !== null && latest.ticket >= since ? latest.answer : null;
  return { input, prediction, submit, throttle, latencyRef };
}
