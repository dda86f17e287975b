import { useEffect, useRef, useSyncExternalStore } from 'react';
import { offlineSupport } from './offlineSupport.ts';
import { updatePromptView } from './updatePrompt.ts';
import './updatePrompt.css';

interface UpdatePromptProps {
  /** MNIST is in: the service worker may register now (its precache waits for the data). */
  readonly pageReady: boolean;
  /** A run (or a comparison) is training: Update and Reload wait for its end. */
  readonly runActive: boolean;
}

/**
 * Registers the offline service worker once the page is ready, and announces a new deployment
 * with an "Update" button that waits while a run is active (updating reloads the page).
 */
export function UpdatePrompt({ pageReady, runActive }: UpdatePromptProps) {
  const status = useSyncExternalStore(offlineSupport.subscribe, offlineSupport.getStatus);
  const runActiveNow = useRef(runActive);
  useEffect(() => {
    runActiveNow.current = runActive;
  }, [runActive]);
  useEffect(() => {
    if (pageReady) offlineSupport.start(() => runActiveNow.current);
  }, [pageReady]);

  const view = updatePromptView(status, runActive);
  // The live region is always there, so a screen reader announces the prompt when it appears.
  return (
    <div aria-live="polite">
      {view === null ? null : (
        <p className="banner update-prompt">
          <span>{view.message}</span>
          {view.action === null ? null : (
            <button
              type="button"
              disabled={view.disabled}
              onClick={() => (view.action === 'Update' ? offlineSupport.update() : window.location.reload())}
            >
              {view.action}
            </button>
          )}
          {view.note === null ? null : <span className="small">{view.note}</span>}
        </p>
      )}
    </div>
  );
}
