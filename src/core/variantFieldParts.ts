import { DEFAULT_HIDDEN_LAYER, MAX_HIDDEN_LAYERS, type TrainingConfig } from './config.ts';
import { shortName, type NamedValue } from './displayNames.ts';
import type { FieldValue, ParsedValue } from './variantFields.ts';

/**
 * The pieces the variant field table (`variantFields.ts`) is built from: options and legend
 * names of choices, the editor's parsers with their messages, and writers that change every hidden layer.
 */

/** A choice field's options: the values as the config writes them (activations, schedules, …). */
export const options = (values: readonly string[]) => values.map((value) => ({ value, label: value }));

/** How a choice field with short names says its value in a legend: "Momentum", "pixels/255". */
export const shortNameOf =
  (values: readonly NamedValue[]) =>
  (value: FieldValue): string =>
    values.includes(value as NamedValue) ? shortName(value as NamedValue) : String(value);

export function parseNumber(
  text: string,
  label: string,
  min: number,
  max: number,
  integer = false,
): ParsedValue {
  const trimmed = text.trim();
  const value = trimmed === '' ? Number.NaN : Number(trimmed);
  if (!Number.isFinite(value)) return { ok: false, error: `${label} must be a number` };
  if (integer && !Number.isInteger(value)) return { ok: false, error: `${label} must be a whole number` };
  if (value < min) return { ok: false, error: `${label} must be at least ${min}` };
  if (value > max) return { ok: false, error: `${label} must be at most ${max}` };
  return { ok: true, value };
}

export function parseChoice(text: string, label: string, allowed: readonly string[]): ParsedValue {
  return allowed.includes(text) ? { ok: true, value: text } : { ok: false, error: `Unknown ${label}` };
}

export const parseToggle = (text: string): ParsedValue =>
  text === 'on' || text === 'true'
    ? { ok: true, value: true }
    : text === 'off' || text === 'false'
      ? { ok: true, value: false }
      : { ok: false, error: 'Must be on or off' };

export const onOff = (value: FieldValue) => (value === true ? 'on' : 'off');
export const plain = (value: FieldValue) => String(value);

/** Writes `update` into every hidden layer. */
export function everyLayer(
  config: TrainingConfig,
  update: Partial<TrainingConfig['model']['hiddenLayers'][number]>,
) {
  const hiddenLayers = config.model.hiddenLayers.map((layer) => ({ ...layer, ...update }));
  return { ...config, model: { ...config.model, hiddenLayers } };
}

/** The value all hidden layers share, or the first layer's (the editor's default). */
export function firstLayer(config: TrainingConfig) {
  return config.model.hiddenLayers[0] ?? DEFAULT_HIDDEN_LAYER;
}

/** "128-64" ⇄ [128, 64]; "" is softmax regression (no hidden layer). */
export function parseWidths(text: string): ParsedValue {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'none') return { ok: true, value: '' };
  const parts = trimmed.split(/[\s,x×-]+/).filter((p) => p !== '');
  if (parts.length > MAX_HIDDEN_LAYERS)
    return { ok: false, error: `At most ${MAX_HIDDEN_LAYERS} hidden layers` };
  for (const part of parts) {
    const units = Number(part);
    if (!Number.isInteger(units) || units < 1 || units > 4096) {
      return { ok: false, error: 'Hidden layers are widths from 1 to 4096, e.g. 128-64' };
    }
  }
  return { ok: true, value: parts.join('-') };
}

export function writeWidths(config: TrainingConfig, value: FieldValue): TrainingConfig {
  const widths = String(value) === '' ? [] : String(value).split('-').map(Number);
  const template = firstLayer(config);
  const hiddenLayers = widths.map((units, i) => ({ ...(config.model.hiddenLayers[i] ?? template), units }));
  return { ...config, model: { ...config.model, hiddenLayers } };
}
