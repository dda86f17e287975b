import { readUrlState, withUrlChoice, type UrlChoices, type UrlState } from '../core/urlState.ts';

/** What the page's address opens (see the parameter table in `core/urlState.ts`). */
export const readPageUrl = (): UrlState => readUrlState(window.location.search);

/**
 * Keeps `?<key>=` in the address bar in step with a choice (absent for its default), replacing
 * the history entry, so the address is always a link to the page as it is.
 */
export function writePageUrl<K extends keyof UrlChoices>(key: K, value: UrlChoices[K]): void {
  const url = new URL(window.location.href);
  url.search = withUrlChoice(url.search, key, value);
  window.history.replaceState(null, '', url);
}
