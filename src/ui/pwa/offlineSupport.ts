/// <reference types="vite-plugin-pwa/vanillajs" />
import { nextUpdateStatus, type UpdateNews, type UpdateStatus } from './updatePrompt.ts';

type Listener = () => void;

/**
 * The page's one service worker registration (vite-plugin-pwa's Workbox worker, configured in
 * vite.config.ts) and the update news it brings, as a store React reads with
 * `useSyncExternalStore`. One per page, not per component: registering twice would only repeat
 * the same work, and StrictMode mounts components twice.
 */
class OfflineSupport {
  private status: UpdateStatus = 'current';
  private readonly listeners = new Set<Listener>();
  private takeUpdate: (() => Promise<void>) | null = null;
  private started = false;
  private runActive: () => boolean = () => false;

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getStatus = (): UpdateStatus => this.status;

  /**
   * Registers the service worker, once. Called when the page is ready to train (MNIST is in), so
   * the precache download (~7 MB) never competes with a first visit's data. `runActive` says,
   * whenever news arrives, whether a run is training (a reload would end it).
   */
  start(runActive: () => boolean): void {
    this.runActive = runActive;
    if (this.started || !('serviceWorker' in navigator)) return;
    this.started = true;
    this.watchController();
    import('virtual:pwa-register')
      .then(({ registerSW }) => {
        const update = registerSW({
          immediate: true,
          onNeedRefresh: () => this.hear('new-version-waiting'),
          // Not the plugin's reload (it would reload mid-run): watchController decides.
          onNeedReload: () => undefined,
          onRegisterError: (error: unknown) => warnUnavailable(error),
        });
        this.takeUpdate = () => update(true);
      })
      .catch(warnUnavailable);
  }

  /** Update pressed: the waiting version takes over; the page reloads once it controls it. */
  update(): void {
    this.hear('update-requested');
    if (this.status === 'updating') this.takeUpdate?.().catch(warnUnavailable);
  }

  /**
   * A new version controls the page when the controller changes from one worker to another, or
   * after Update was pressed here; the first install taking an uncontrolled page (`clientsClaim`)
   * is not news. (The plugin's own signal misses an update on a page first opened uncontrolled.)
   */
  private watchController(): void {
    const container = navigator.serviceWorker;
    let controller = container.controller;
    container.addEventListener('controllerchange', () => {
      const previous = controller;
      controller = container.controller;
      if (previous !== null || this.status === 'updating') this.hear('new-version-controlling');
    });
  }

  private hear(news: UpdateNews): void {
    const next = nextUpdateStatus(this.status, news, this.runActive());
    if (next === this.status) return;
    this.status = next;
    for (const listener of this.listeners) listener();
    if (next === 'reloading') window.location.reload();
  }
}

/** The page works as before without a service worker (an old browser, a blocked registration). */
function warnUnavailable(error: unknown): void {
  console.warn(`Offline support is unavailable: ${error instanceof Error ? error.message : String(error)}`);
}

export const offlineSupport = new OfflineSupport();
