/**
 * What the "Update" prompt says, as pure functions of the service worker's news and whether a run
 * is training. Taking a new deployment reloads the page, and a reload ends a run and its charts,
 * so the prompt never reloads on its own while a run is active: its button waits, with a note.
 */

/**
 * Where this page stands against the deployment its service worker knows:
 * - `current`: nothing new (or no service worker at all);
 * - `waiting`: a new version is installed and waits for the person to press Update;
 * - `updating`: Update was pressed here; the new version is taking over;
 * - `reloading`: it took over as asked and no run is active: the page reloads now;
 * - `reload-needed`: a new version controls this page, which still runs the old code — it took
 *   over from another tab, or a run started here before it did — until the person reloads.
 */
export type UpdateStatus = 'current' | 'waiting' | 'updating' | 'reloading' | 'reload-needed';

/** What the service worker can tell the page. */
export type UpdateNews =
  /** A new version finished installing and waits (vite-plugin-pwa's `onNeedRefresh`). */
  | 'new-version-waiting'
  /** Update was pressed on this page. */
  | 'update-requested'
  /** A new version now controls this page (`onNeedReload`), whichever tab let it in. */
  | 'new-version-controlling';

/** The next status after a piece of news; `runActive`: a run is training on this page now. */
export function nextUpdateStatus(status: UpdateStatus, news: UpdateNews, runActive: boolean): UpdateStatus {
  switch (news) {
    case 'new-version-waiting':
      return status === 'current' ? 'waiting' : status;
    case 'update-requested':
      return status === 'waiting' && !runActive ? 'updating' : status;
    case 'new-version-controlling':
      if (status === 'reloading') return status;
      return status === 'updating' && !runActive ? 'reloading' : 'reload-needed';
    default: {
      const unknown: never = news;
      return unknown;
    }
  }
}

/** The prompt on screen: its sentence, its button (if any) and why the button waits (if it does). */
export interface UpdatePromptView {
  readonly message: string;
  /** Null while the new version takes over (nothing to press). */
  readonly action: 'Update' | 'Reload' | null;
  readonly disabled: boolean;
  /** Why the button waits; null when it can be pressed. */
  readonly note: string | null;
}

/** The prompt for a status, or null when there is nothing to say. */
export function updatePromptView(status: UpdateStatus, runActive: boolean): UpdatePromptView | null {
  const waitsForRun = (verb: string) => ({
    disabled: runActive,
    note: runActive ? `Available when the run ends: ${verb} reloads the page.` : null,
  });
  switch (status) {
    case 'current':
      return null;
    case 'waiting':
      return {
        message: 'A new version of the playground is ready.',
        action: 'Update',
        ...waitsForRun('updating'),
      };
    case 'updating':
    case 'reloading':
      return { message: 'Updating to the new version…', action: null, disabled: true, note: null };
    case 'reload-needed':
      return {
        message: 'A new version of the playground is installed; reload the page to use it.',
        action: 'Reload',
        ...waitsForRun('this'),
      };
    default: {
      const unknown: never = status;
      return unknown;
    }
  }
}
