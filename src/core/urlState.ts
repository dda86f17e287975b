import { isBackendChoice, type BackendChoice } from './backends.ts';
import { DEFAULT_CONFIG, type FieldErrors, type TrainingConfig } from './config.ts';
import { isEngineChoice, type EngineChoice } from './engines.ts';
import { parseThreadRequest, type ThreadRequest } from './kernelThreads.ts';
import { lessonById, type Lesson } from './lessons.ts';
import { decodeConfigFromSearch } from './urlCodec.ts';

/**
 * The page's state in its address, so a link reopens the page as it was shared: one table of
 * parameters (as tensorflow/playground's `state.ts`), storing names, never indices, and leaving
 * defaults out of the link. The config travels in `?config=` through its own codec
 * (`urlCodec.ts`: base64url JSON, validated). Pure: it reads and writes query strings; the page
 * applies them to `window.location`.
 */

/** The page's two views. */
export type View = 'train' | 'compare';

export const isView = (value: unknown): value is View => value === 'train' || value === 'compare';

/** The values the link's parameters (other than the config) carry. */
export interface UrlChoices {
  /** `?backend=wasm` forces a backend. */
  readonly backend: BackendChoice;
  /** `?engine=tfjs` forces a training engine. */
  readonly engine: EngineChoice;
  /** `?threads=2` forces the fused kernel's thread count (`auto`: measured at the start of a run). */
  readonly threads: ThreadRequest;
  /** `?view=compare`; absent: the open lesson's view, else Train. */
  readonly view: View;
  /** `?lesson=<id>`: the lesson to show (its config unless the link also carries one). */
  readonly lesson: Lesson | null;
  /** `?present=1`: presenter mode. */
  readonly present: boolean;
}

/** One URL parameter: its name, its default (left out of the link), and its text form. */
export interface UrlParam<T> {
  readonly name: string;
  readonly fallback: T;
  /** The value `text` names; undefined when it names none (the page then warns and uses the default). */
  parse(text: string): T | undefined;
  format(value: T): string;
  /** What the page does instead of an unknown value, for the warning ("using auto instead"). */
  readonly instead: string | null;
}

function choiceParam<T extends string>(
  name: string,
  isChoice: (value: unknown) => value is T,
  fallback: T,
  instead: string,
): UrlParam<T> {
  return { name, fallback, parse: (text) => (isChoice(text) ? text : undefined), format: String, instead };
}

/**
 * The table: every parameter of the page's link except `config` (`CONFIG_PARAM`, written by
 * `encodeConfigToSearch` as the form changes and read by {@link readUrlState}).
 */
export const URL_PARAMS: { readonly [K in keyof UrlChoices]: UrlParam<UrlChoices[K]> } = {
  backend: choiceParam('backend', isBackendChoice, 'auto', 'using auto instead'),
  engine: choiceParam('engine', isEngineChoice, 'auto', 'using auto instead'),
  threads: {
    name: 'threads',
    fallback: 'auto',
    parse: (text) => parseThreadRequest(text) ?? undefined,
    format: String,
    instead: 'measuring the fastest instead',
  },
  view: choiceParam('view', isView, 'train', 'showing Train'),
  lesson: {
    name: 'lesson',
    fallback: null,
    parse: (id) => lessonById(id) ?? undefined,
    format: (lesson) => lesson?.id ?? '',
    instead: null,
  },
  present: {
    name: 'present',
    fallback: false,
    parse: (text) => text === '1',
    format: (on) => (on ? '1' : '0'),
    instead: null,
  },
};

/** What a link opens: its choices, its config, and what was wrong with it. */
export interface UrlState extends UrlChoices {
  /** The link's config, else the lesson's, else the default. */
  readonly config: TrainingConfig;
  /** Unknown values in the link, in words (each replaced by its default). */
  readonly warnings: readonly string[];
  /** Why the link's config cannot be used (the defaults are shown instead); null when it can. */
  readonly configErrors: FieldErrors | null;
}

/** `key`'s value in `params`, or undefined (absent, or unknown: then with a warning). */
function readParam<K extends keyof UrlChoices>(
  params: URLSearchParams,
  key: K,
  warnings: string[],
): UrlChoices[K] | undefined {
  const param: UrlParam<UrlChoices[K]> = URL_PARAMS[key];
  const text = params.get(param.name);
  if (text === null) return undefined;
  const value = param.parse(text);
  if (value === undefined) {
    const instead = param.instead === null ? '' : `; ${param.instead}`;
    warnings.push(`The link asks for an unknown ${param.name} "${text.slice(0, 40)}"${instead}.`);
  }
  return value;
}

/** Reads a query string (`window.location.search`); never throws, whatever the link holds. */
export function readUrlState(search: string): UrlState {
  const params = new URLSearchParams(search);
  const warnings: string[] = [];
  const read = <K extends keyof UrlChoices>(key: K): UrlChoices[K] =>
    readParam(params, key, warnings) ?? URL_PARAMS[key].fallback;
  const backend = read('backend');
  const engine = read('engine');
  const threads = read('threads');
  const lesson = read('lesson');
  const requestedView = readParam(params, 'view', warnings);
  const view = requestedView ?? (lesson?.variants ? 'compare' : 'train');
  const present = read('present');
  const choices = { backend, engine, threads, view, lesson, present, warnings };
  const decoded = decodeConfigFromSearch(search);
  if (decoded !== null && 'errors' in decoded) {
    return { ...choices, config: DEFAULT_CONFIG, configErrors: decoded.errors };
  }
  return { ...choices, config: decoded?.config ?? lesson?.config ?? DEFAULT_CONFIG, configErrors: null };
}

/** `search` with `key` set to `value`, or without it when `value` is the default. */
export function withUrlChoice<K extends keyof UrlChoices>(
  search: string,
  key: K,
  value: UrlChoices[K],
): string {
  const param: UrlParam<UrlChoices[K]> = URL_PARAMS[key];
  const params = new URLSearchParams(search);
  const text = param.format(value);
  if (text === param.format(param.fallback)) params.delete(param.name);
  else params.set(param.name, text);
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}
