import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  myDigitStoreErrorMessage,
  onMyDigitsChanged,
  openMyDigitStore,
  type MyDigitStore,
} from '../client/myDigitStore.ts';
import { cappedRepeat, EXTRA_REPEAT, type ExtraTraining } from '../core/extraTraining.ts';
import { MNIST_PIXELS } from '../core/idx.ts';
import type { MyDigit } from '../core/myDigits.ts';
import { toNumber } from './formDraft.ts';

/** The Data panel's "Mix My digits into training" option: page state, never in the config or link. */
export interface MixMyDigits {
  /** My digits as stored now (newest first); null while loading or when the store is unusable. */
  readonly digits: readonly MyDigit[] | null;
  /** Why My digits cannot be read, or null. */
  readonly unavailable: string | null;
  readonly enabled: boolean;
  setEnabled(enabled: boolean): void;
  /** The repeat field as typed. */
  readonly repeatText: string;
  setRepeatText(text: string): void;
  /** What is wrong with the repeat field while the option is on, or null (then Train may start). */
  readonly problem: string | null;
  /** The repeat a run would use: the typed one, capped so drawings × repeat ≤ 60,000. */
  readonly repeat: number;
  /** The drawings for the next `start` command (a fresh copy); undefined when off or none. */
  extraTraining(): ExtraTraining | undefined;
}

/** The typed repeat as a whole number 1–100, or what is wrong with it. */
function parseRepeat(text: string): { value: number } | { error: string } {
  const value = toNumber(text);
  if (!Number.isInteger(value) || value < EXTRA_REPEAT.min || value > EXTRA_REPEAT.max)
    return { error: `Repeat must be a whole number ${EXTRA_REPEAT.min}–${EXTRA_REPEAT.max}.` };
  return { value };
}

/**
 * My digits for training: read from the store on mount and again whenever any part of the page
 * changes them (`onMyDigitsChanged`), with the option's switch and repeat. Off on every load:
 * the drawings are this browser's, so nothing about them is saved in the link.
 *
 * @param openStore Opens the store; must be stable (a module function), since a new one reopens.
 */
export function useMixMyDigits(openStore: () => Promise<MyDigitStore> = openMyDigitStore): MixMyDigits {
  const [digits, setDigits] = useState<readonly MyDigit[] | null>(null);
  const [unavailable, setUnavailable] = useState<string | null>(null);
  const [enabled, setEnabled] = useState(false);
  const [repeatText, setRepeatText] = useState(String(EXTRA_REPEAT.default));

  useEffect(() => {
    let live = true;
    const opening = openStore();
    const list = () =>
      opening
        .then((store) => store.list())
        .then(
          ({ items }) => {
            if (live) setDigits(items);
          },
          (error: unknown) => {
            if (live) setUnavailable(myDigitStoreErrorMessage(error));
          },
        );
    void list();
    const stopListening = onMyDigitsChanged(() => void list());
    return () => {
      live = false;
      stopListening();
      opening.then(
        (store) => store.close(),
        () => undefined,
      );
    };
  }, [openStore]);

  const count = digits?.length ?? 0;
  const parsed = parseRepeat(repeatText);
  const repeat = cappedRepeat(count, 'value' in parsed ? parsed.value : EXTRA_REPEAT.default);
  const on = enabled && count > 0;
  const problem = on && 'error' in parsed ? parsed.error : null;

  const extraTraining = useCallback((): ExtraTraining | undefined => {
    if (!on || digits === null) return undefined;
    const images = new Uint8Array(digits.length * MNIST_PIXELS);
    digits.forEach((digit, i) => images.set(digit.pixels, i * MNIST_PIXELS));
    return { images, labels: Uint8Array.from(digits, (digit) => digit.label), repeat };
  }, [on, digits, repeat]);

  return useMemo(
    () => ({
      digits,
      unavailable,
      enabled: on,
      setEnabled,
      repeatText,
      setRepeatText,
      problem,
      repeat,
      extraTraining,
    }),
    [digits, unavailable, on, repeatText, problem, repeat, extraTraining],
  );
}
