import { readFile } from 'node:fs/promises';
import type { Download, Page } from '@playwright/test';
import { HEAVY_EXAMPLES, PICKED, pickTarget, SLOW_OPTIONS, WEIGHTS, type Target } from './monkeyPicker.ts';

/**
 * The hands of the UI monkey test (e2e/monkey.spec.ts): a seeded random stream, hostile text and
 * junk files, and the actions a person can take on the control that e2e/monkeyPicker.ts chose.
 * Nothing here waits on time: an action is done, and the next one follows at once.
 */

/** mulberry32: a tiny seeded generator of floats in [0, 1), so a run can be replayed from its seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws from a seeded stream: one element, an integer range, a coin. */
export class Dice {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
}

/**
 * Text a careless or hostile person might type or paste: markup, prototype keys, numbers in
 * disguise, control and bidirectional characters, a lone surrogate, emoji and a very long line.
 * (The fuzz tests have their own list; this one is small on purpose.)
 */
export const HOSTILE_TEXT: readonly string[] = [
  '<script>window.__pwned = 1</script>',
  '<img src="x" onerror="window.__pwned = 2">',
  '"; DROP TABLE runs; --',
  '__proto__',
  'constructor',
  'toString',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x1F',
  ' 12 ',
  '',
  '   ',
  'null',
  '{}',
  '[]',
  '\u202Eevil\u202C',
  'a\u0000b',
  '\uD800',
  'Ω≈ç√∫ 数字 ٣',
  '💥🔥'.repeat(40),
  'x'.repeat(5_000),
  '../../etc/passwd',
  '${jndi:ldap://x}',
  '{{constructor.constructor("return 1")()}}',
  '%00%ff',
  '\\',
];

/** Values for number fields: valid numbers only (a number input takes nothing else), edges included. */
const NUMBERS = [
  '',
  '0',
  '1',
  '-1',
  '0.5',
  '2',
  '3',
  '10',
  '64',
  '100',
  '1e-9',
  '1e9',
  '99999999',
  '-0',
  '0.001',
];

/**
 * Fields whose size decides how long a run takes: mostly tiny values, so that a Train the monkey
 * presses ends in a second or two and does not starve the 2-core machine; sometimes anything.
 */
const SMALL: Readonly<Record<string, readonly string[]>> = {
  'Training examples': ['128', '200', '256', '300', '500'],
  Epochs: ['1', '1', '2'],
  Units: ['4', '16', '32', '64'],
  'Batch size': ['16', '32', '64', '100'],
};

/**
 * A value for the number field labelled `label` that holds `current`: for a field in
 * {@link SMALL} mostly a small value; else often a nudge of the current value (double, half,
 * one more or less), as a person tuning it would, which keeps most of the form valid; else an
 * edge value that the form must refuse with a message.
 */
export function numberFor(dice: Dice, label: string, current: string): string {
  const small = SMALL[label];
  if (small && dice.chance(0.85)) return dice.pick(small);
  const now = Number(current);
  if (!small && current.trim() !== '' && Number.isFinite(now) && dice.chance(0.6)) {
    const nudged = dice.pick([now * 2, now / 2, now + 1, now - 1]);
    return String(Number(nudged.toPrecision(6)));
  }
  return dice.pick(NUMBERS);
}

/** A value for a text field: a hostile string, or a plain name or number. */
export function textFor(dice: Dice): string {
  if (dice.chance(0.6)) return dice.pick(HOSTILE_TEXT);
  return dice.pick(['monkey', 'digits 2', '0.01', '0.9', '3', 'adam', 'relu']);
}

/** A file for an `<input type=file>`: what Playwright's `setInputFiles` takes. */
export interface FilePayload {
  readonly name: string;
  readonly mimeType: string;
  readonly buffer: Buffer;
}

/** Junk a person could pick by mistake: empty, binary, broken or hostile JSON, too deep, too big. */
export function junkFile(dice: Dice): FilePayload {
  const json = (name: string, text: string) => ({
    name,
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
  const kind = dice.int(0, 7);
  switch (kind) {
    case 0:
      return json('empty.json', '');
    case 1: {
      const bytes = Buffer.alloc(2048);
      for (let i = 0; i < bytes.length; i++) bytes[i] = dice.int(0, 255);
      return { name: 'noise.bin', mimeType: 'application/octet-stream', buffer: bytes };
    }
    case 2:
      return json('broken.json', '{"version": 2, "seed"');
    case 3:
      return json('wrong.json', JSON.stringify({ version: 2, seed: -1, model: 'x' }));
    case 4:
      return json(
        'proto.json',
        '{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}',
      );
    case 5:
      return json('deep.json', `${'['.repeat(5_000)}${']'.repeat(5_000)}`);
    case 6:
      return json('huge.json', `{"name": "${'x'.repeat(300_000)}"}`);
    default:
      return json(
        'hostile.json',
        JSON.stringify({ version: 1, id: dice.pick(HOSTILE_TEXT), name: dice.pick(HOSTILE_TEXT) }),
      );
  }
}

/** Keys a person presses on whatever has the focus (arrow keys move tabs, sliders and selects). */
const KEYS = [
  'Tab',
  'Shift+Tab',
  'Enter',
  'Space',
  'Escape',
  'ArrowLeft',
  'ArrowRight',
  'ArrowUp',
  'ArrowDown',
  'Home',
  'End',
];

/** How long an action waits for its control before it counts as gone (a re-render removed it). */
const ACTION_TIMEOUT_MS = 2_000;

const isTimeout = (error: unknown) => error instanceof Error && error.name === 'TimeoutError';

/**
 * Performs random user actions on a page: picks a control with {@link pickTarget} and clicks,
 * types, selects, drags, uploads or hovers as a person would, or presses a key or scrolls.
 * Every action goes into {@link log}; files the page offers for download are kept and sometimes
 * uploaded back (into any file input, the right one or not).
 */
export class Monkey {
  readonly log: string[] = [];
  private readonly downloads: FilePayload[] = [];

  /**
   * @param goodConfig a valid config file: what the monkey imports, more often than junk, into
   *   "Import config" while a field is invalid (see `WEIGHTS.repair`).
   */
  constructor(
    readonly page: Page,
    readonly dice: Dice,
    private readonly goodConfig: FilePayload,
  ) {
    page.on('download', (download) => void this.keep(download));
  }

  /** Keeps a file the page offered (config, run, model, chart PNG) to upload it back later. */
  private async keep(download: Download): Promise<void> {
    const path = await download.path().catch(() => null); // the page closed first: nothing to keep
    if (path === null) return;
    const buffer = await readFile(path);
    this.downloads.push({ name: download.suggestedFilename(), mimeType: 'application/octet-stream', buffer });
  }

  /** Records an action (the log is what a failure prints, to replay it). */
  note(text: string): void {
    this.log.push(`${this.log.length + 1}. ${text}`);
  }

  /** One random action; false when nothing on the page could be acted on this time. */
  async act(): Promise<boolean> {
    const { page, dice } = this;
    const roll = dice.next();
    if (roll < 0.03) {
      const key = dice.pick(KEYS);
      this.note(`press ${key}`);
      await page.keyboard.press(key);
      return true;
    }
    if (roll < 0.05) {
      const dy = dice.int(-900, 900);
      this.note(`scroll ${dy}`);
      await page.mouse.wheel(0, dy);
      return true;
    }
    const draw = dice.next();
    let target: Target | null;
    try {
      const options = { draw, weights: WEIGHTS, slowOptions: SLOW_OPTIONS, heavyExamples: HEAVY_EXAMPLES };
      target = await page.evaluate(pickTarget, options);
    } catch (error) {
      // A key press (Enter on the lesson link) navigated: let the new page load, then go on.
      if (!(error instanceof Error && error.message.includes('Execution context was destroyed'))) throw error;
      this.note('  (the page navigated)');
      await page.waitForLoadState();
      return false;
    }
    if (target === null) return false;
    try {
      await this.actOn(target);
    } catch (error) {
      if (!isTimeout(error)) throw error;
      this.note(`  (${target.label} went away before the action)`);
    }
    return true;
  }

  private async actOn(target: Target): Promise<void> {
    const { page, dice } = this;
    const note = (text: string) => this.note(`${text}  [${target.state}]`);
    const picked = page.locator(PICKED);
    const at = (u: number, v: number) => [target.x + u * target.width, target.y + v * target.height] as const;
    const timeout = ACTION_TIMEOUT_MS;
    switch (target.kind) {
      case 'click':
        note(`click ${target.label}`);
        await page.mouse.click(...at(0.5, 0.5));
        return;
      case 'link':
        note(`follow ${target.label}`);
        await Promise.all([
          page.waitForEvent('load', { timeout: 10_000 }),
          page.mouse.click(...at(0.5, 0.5)),
        ]);
        return;
      case 'text': {
        const value = textFor(dice);
        note(`type ${JSON.stringify(value.slice(0, 40))} into ${target.label}`);
        await picked.fill(value, { timeout });
        if (dice.chance(0.2)) await picked.press('Enter', { timeout });
        return;
      }
      case 'number':
        if (dice.chance(0.2)) {
          const value = dice.pick(HOSTILE_TEXT);
          note(`paste ${JSON.stringify(value.slice(0, 40))} into ${target.label}`);
          await page.mouse.click(...at(0.5, 0.5));
          await page.keyboard.press('ControlOrMeta+A');
          await page.keyboard.insertText(value);
        } else {
          const value = numberFor(dice, target.label.split(' › ').at(-1) ?? '', target.value);
          note(`type ${JSON.stringify(value)} into ${target.label}`);
          await picked.fill(value, { timeout });
        }
        return;
      case 'select': {
        if (target.options.length === 0) return note(`(no option to pick in ${target.label})`);
        const value = dice.pick(target.options);
        note(`select ${JSON.stringify(value)} in ${target.label}`);
        await picked.selectOption(value, { timeout });
        return;
      }
      case 'range': {
        const u = dice.next();
        note(`slide ${target.label} to ${u.toFixed(2)}`);
        await page.mouse.click(...at(u, 0.5));
        return;
      }
      case 'file': {
        const repair = target.label.endsWith('Import config') && target.state.includes('invalid');
        const own = this.downloads.length > 0 && dice.chance(0.4);
        const file =
          repair && dice.chance(0.8) ? this.goodConfig : own ? dice.pick(this.downloads) : junkFile(dice);
        note(
          `upload ${own && file !== this.goodConfig ? 'downloaded ' : ''}${file.name} into ${target.label}`,
        );
        await picked.setInputFiles(file, { timeout });
        return;
      }
      case 'pad': {
        const points = dice.int(2, 4);
        note(`draw a stroke of ${points} points on ${target.label}`);
        await page.mouse.move(...at(dice.next(), dice.next()));
        await page.mouse.down();
        for (let i = 1; i < points; i++) await page.mouse.move(...at(dice.next(), dice.next()), { steps: 2 });
        await page.mouse.up();
        return;
      }
      case 'chart':
        note(`hover over ${target.label}`);
        for (let i = 0; i < 3; i++) await page.mouse.move(...at(dice.next(), dice.next()));
        return;
      default: {
        const never: never = target.kind;
        throw new Error(`unknown target kind ${String(never)}`);
      }
    }
  }
}
