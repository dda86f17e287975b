import { useState, useSyncExternalStore } from 'react';
import { NewestAnswer, type TicketedAnswer } from '../client/newestAnswer.ts';

/**
 * The answer to the newest of this component's questions of one kind (see {@link NewestAnswer}),
 * and `track`, which follows a question's answer (a `TrainerSession.request()`) and returns its
 * ticket. Kept for the component's life.
 */
export function useNewestAnswer<A>(): [TicketedAnswer<A> | null, (answer: Promise<A>) => number] {
  const [answers] = useState(() => new NewestAnswer<A>());
  const shown = useSyncExternalStore(answers.subscribe, answers.getSnapshot);
  return [shown, answers.track];
}
