/** An answer with the ticket of the question it answers (tickets grow with each question). */
export interface TicketedAnswer<A> {
  readonly ticket: number;
  readonly answer: A;
}

/**
 * The answer to the newest of a series of questions of one kind, for a view that shows one (the
 * drawing pad's prediction, a preview grid): an answer to an older question that arrives after a
 * newer one's is dropped, and a question that fails (the worker crashed) leaves the answer shown
 * alone. Framework-free; React reads it with `useSyncExternalStore`.
 */
export class NewestAnswer<A> {
  private asked = 0;
  private shown: TicketedAnswer<A> | null = null;
  private readonly listeners = new Set<() => void>();

  /** Follows `answer` (a `TrainerSession.request()`); returns its question's ticket. */
  track = (answer: Promise<A>): number => {
    this.asked += 1;
    const ticket = this.asked;
    answer.then(
      (value) => {
        if (this.shown !== null && this.shown.ticket > ticket) return;
        this.shown = { ticket, answer: value };
        for (const listener of this.listeners) listener();
      },
      () => {
        // Failed questions show nothing; the run's status line says when the worker is gone.
      },
    );
    return ticket;
  };

  getSnapshot = (): TicketedAnswer<A> | null => this.shown;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };
}
