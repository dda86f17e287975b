/**
 * The UI monkey's eyes (e2e/monkey.spec.ts): a function that runs in the page, lists what a person
 * could act on right now and picks one, weighted so that run controls, the Models panel and both
 * views come up often and page-wide relayouts rarely.
 */

/** What kind of control the picker chose, which decides how the monkey acts on it. */
export type TargetKind = 'click' | 'link' | 'text' | 'number' | 'select' | 'range' | 'file' | 'pad' | 'chart';

/** The control chosen for one action, scrolled into view; box in CSS pixels of the viewport. */
export interface Target {
  readonly kind: TargetKind;
  /** Where it sits and what it says, for the action log: "Run › Train". */
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Values of a select's enabled options, less those in {@link SLOW_OPTIONS}. */
  readonly options: readonly string[];
  /** The control's value now (a field's text, a select's option value), '' for others. */
  readonly value: string;
  /**
   * The run's phase (the status line's `data-phase`), "+race" while a comparison runs, and how
   * many fields say their value is invalid: "ready+race, 2 invalid".
   */
  readonly state: string;
}

/** How often each kind of control is chosen, relative to an ordinary one (weight 1). */
export const WEIGHTS = {
  /** Train, Pause, Resume, Stop, Step, Step epoch, Reset and a comparison's run buttons. */
  runControl: 5,
  /**
   * Train, Step, Step epoch and Continue training when the form asks for more than
   * {@link HEAVY_EXAMPLES} examples in all (a preset or lesson on 10,000 or 60,000; even one
   * Step prepares the whole subset first): such a run is started now and then, and stopped
   * soon; most runs stay tiny, so that the 2-core machine keeps up with the monkey.
   */
  heavyRun: 0.5,
  /**
   * Run comparison (only for a tiny race of two variants): each race starts a worker per
   * variant, and each loads MNIST anew, the costliest thing the monkey can do.
   */
  race: 1,
  /** Pause and Stop while something trains, so long runs end soon. */
  haltWhileTraining: 6,
  /** The lesson buttons, each of which replaces the whole form (and may switch the view). */
  lesson: 0.15,
  /** The Train or Compare tab that is not selected, so the monkey keeps visiting both views. */
  otherView: 2,
  /** Presenter mode re-lays out the whole page (about 100 ms a toggle on the 2-core machine). */
  presenter: 0.3,
  /** Anything in the Models panel: save, load, delete, confirm. */
  models: 2,
  file: 1,
  /**
   * "Import config" while some field is invalid: the monkey mostly imports a good config then,
   * so that it spends its actions on a form that can train rather than on one that cannot.
   */
  repair: 12,
  pad: 1.5,
  chart: 0.3,
  link: 0.2,
  /** The Backend select while it is on a backend in {@link SLOW_OPTIONS}: leave it soon. */
  leaveSlowBackend: 30,
} as const;

/**
 * Options the monkey does not pick, by field. WebGPU on this machine is emulated in software
 * (SwiftShader), where a single tiny run takes minutes; e2e/backends.spec.ts and
 * e2e/security.spec.ts train on it. (An arrow key on the focused select can still choose it,
 * then {@link WEIGHTS.leaveSlowBackend} moves the monkey off it.)
 */
export const SLOW_OPTIONS: Readonly<Record<string, readonly string[]>> = { Backend: ['webgpu'] };

/** Examples × epochs above which a Train is a heavy run (see {@link WEIGHTS.heavyRun}). */
export const HEAVY_EXAMPLES = 5_000;

/** Selector of the control the picker chose last (the picker marks it). */
export const PICKED = '[data-monkey-picked]';

/**
 * Runs in the page: lists every visible, enabled control, picks one with `draw` (in [0, 1)) by
 * {@link WEIGHTS}, marks it {@link PICKED}, scrolls it into view and checks that a click at its
 * centre would reach it. Returns null when nothing can be acted on, or the chosen control is
 * covered. A "Run comparison" is only chosen for a race of at most two variants on a tiny
 * subset (the spec's race macro sets one up).
 */
export function pickTarget({
  draw,
  weights,
  slowOptions,
  heavyExamples,
}: {
  draw: number;
  weights: typeof WEIGHTS;
  slowOptions: typeof SLOW_OPTIONS;
  heavyExamples: number;
}): Target | null {
  const RUN_CONTROLS = ['Train', 'Pause', 'Resume', 'Stop', 'Step', 'Step epoch', 'Reset', 'Stop all'];
  const text = (element: Element | null | undefined) =>
    (element?.textContent ?? '').trim().replace(/\s+/g, ' ');
  const nameOf = (element: Element): string => {
    const aria = element.getAttribute('aria-label');
    if (aria) return aria;
    const labels = (element as HTMLInputElement).labels;
    if (labels && labels[0]) return text(labels[0]);
    return text(element) || element.getAttribute('title') || element.tagName.toLowerCase();
  };
  /** The name of the group or region a control sits in ("Models", "Layer 2", "Variant 1"). */
  const placeOf = (element: Element): string => {
    const where = element.closest('fieldset, [role="group"], [role="region"], section');
    if (!where) return '';
    const labelledBy = where.getAttribute('aria-labelledby');
    const heading = labelledBy ? document.getElementById(labelledBy) : where.querySelector('legend, h2, h3');
    return (where.getAttribute('aria-label') ?? text(heading)).slice(0, 30);
  };
  const fieldValue = (label: string): number => {
    const input = [...document.querySelectorAll('input')].find(
      (i) => i.labels?.[0] && text(i.labels[0]) === label,
    );
    return input ? Number(input.value) : Number.NaN;
  };
  const phase = document.querySelector('[data-testid="status"]')?.getAttribute('data-phase') ?? '';
  const comparing = [...document.querySelectorAll('button')].some(
    (b) => text(b) === 'Stop all' && !b.disabled,
  );
  const busy = phase === 'training' || phase === 'starting' || comparing;
  const invalid = document.querySelectorAll('[aria-invalid="true"]').length;
  const state = `${phase}${comparing ? '+race' : ''}${invalid > 0 ? `, ${invalid} invalid` : ''}`;
  const examples = fieldValue('Training examples');
  const epochs = fieldValue('Epochs');
  const heavy = !(examples * epochs <= heavyExamples); // a cleared field reads NaN: heavy
  const tinyRace =
    document.querySelectorAll('fieldset[aria-label^="Variant "]').length <= 2 &&
    examples <= 1000 &&
    epochs <= 2;

  const classify = (element: Element): TargetKind | null => {
    if (element instanceof HTMLCanvasElement) return nameOf(element) === 'Drawing pad' ? 'pad' : 'chart';
    if (element instanceof HTMLSelectElement) return 'select';
    if (element instanceof HTMLAnchorElement) return element.origin === location.origin ? 'link' : null;
    if (element instanceof HTMLInputElement) {
      if (['checkbox', 'radio', 'button', 'submit'].includes(element.type)) return 'click';
      if (element.type === 'number') return 'number';
      if (element.type === 'range') return 'range';
      if (element.type === 'file') return 'file';
      return element.type === 'hidden' ? null : 'text';
    }
    if (element instanceof HTMLTextAreaElement) return 'text';
    return 'click';
  };
  const weightOf = (element: Element, kind: TargetKind, name: string, place: string): number => {
    if (name === 'Import config' && invalid > 0) return weights.repair;
    if (kind === 'pad' || kind === 'chart' || kind === 'link' || kind === 'file') return weights[kind];
    if (name === 'Run comparison') return tinyRace ? weights.race : 0;
    if (element instanceof HTMLSelectElement && slowOptions[name]?.includes(element.value))
      return weights.leaveSlowBackend;
    if (busy && (name === 'Pause' || name === 'Stop' || name === 'Stop all' || /^(Pause|Stop) /.test(name)))
      return weights.haltWhileTraining;
    if (heavy && ['Train', 'Step', 'Step epoch', 'Continue training'].includes(name)) return weights.heavyRun;
    if (RUN_CONTROLS.includes(name) && element.getAttribute('role') !== 'tab') return weights.runControl;
    if (element.id.startsWith('view-tab-') && element.getAttribute('aria-selected') === 'false')
      return weights.otherView;
    if (name === 'Presenter mode') return weights.presenter;
    if (place === 'Models') return weights.models;
    if (place === 'Lessons') return weights.lesson;
    return 1;
  };

  document.querySelector('[data-monkey-picked]')?.removeAttribute('data-monkey-picked');
  const candidates: { element: HTMLElement; kind: TargetKind; label: string; weight: number }[] = [];
  let total = 0;
  for (const element of document.querySelectorAll<HTMLElement>(
    'button, [role="tab"], summary, a[href], input, select, textarea, canvas',
  )) {
    if (element.matches(':disabled') || element.closest('[inert], [aria-disabled="true"]')) continue;
    const kind = classify(element);
    if (kind === null) continue;
    const rect = element.getBoundingClientRect();
    const shown = element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
    if (!shown || (kind !== 'file' && (rect.width === 0 || rect.height === 0))) continue;
    const name = nameOf(element).slice(0, 60);
    const place = placeOf(element);
    const weight = weightOf(element, kind, name, place);
    if (weight <= 0) continue;
    candidates.push({ element, kind, label: `${place} › ${name}`, weight });
    total += weight;
  }
  let left = draw * total;
  const chosen = candidates.find((c) => (left -= c.weight) < 0) ?? candidates.at(-1);
  if (!chosen) return null;
  const { element, kind, label } = chosen;
  element.setAttribute('data-monkey-picked', '');
  const name = label.split(' › ').at(-1) ?? '';
  const options =
    element instanceof HTMLSelectElement
      ? [...element.options]
          .filter((o) => !o.disabled && !slowOptions[name]?.includes(o.value))
          .map((o) => o.value)
      : [];
  const value = 'value' in element && typeof element.value === 'string' ? element.value : '';
  if (kind === 'file') return { kind, label, x: 0, y: 0, width: 0, height: 0, options, value, state };

  const before = element.getBoundingClientRect();
  const inView =
    before.top >= 0 && before.left >= 0 && before.bottom <= innerHeight && before.right <= innerWidth;
  // Scrolls only when needed: every scroll repaints much of the page, which is slow on 2 cores.
  if (!inView) element.scrollIntoView({ block: 'center', inline: 'nearest', behavior: 'instant' });
  const box = element.getBoundingClientRect();
  const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
  const labels = [...((element as HTMLInputElement).labels ?? [])];
  const reachable = hit !== null && (element.contains(hit) || labels.some((l) => l.contains(hit)));
  if (!reachable) return null;
  return { kind, label, x: box.x, y: box.y, width: box.width, height: box.height, options, value, state };
}
