import {
  MAX_VARIANTS,
  MIN_VARIANTS,
  applyVariant,
  newVariantKey,
  variantLabels,
  type Variant,
  type VariantOverride,
} from '../../core/comparison.ts';
import type { TrainingConfig } from '../../core/config.ts';
import {
  VARIANT_FIELDS,
  variantField,
  type FieldValue,
  type VariantFieldId,
} from '../../core/variantFields.ts';

/**
 * The variant editor's state: what the person typed, per field, kept as text so a half-typed
 * "0." stays on screen; parsed into {@link Variant}s (or field-level messages) on every change.
 */

export interface OverrideDraft {
  readonly field: VariantFieldId;
  /** Editor text: a number, an option value, "on"/"off", "full", "128-64". */
  readonly text: string;
}

export interface VariantDraft {
  readonly key: string;
  readonly overrides: readonly OverrideDraft[];
}

/** Editor text for a value (booleans as on/off, as the toggle parser reads them). */
export function textOf(value: FieldValue): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return String(value);
}

export function draftOf(variant: Variant): VariantDraft {
  return {
    key: variant.key,
    overrides: variant.overrides.map(({ field, value }) => ({ field, text: textOf(value) })),
  };
}

/** The first field this variant does not set yet, starting at the base's value. */
export function nextOverride(draft: VariantDraft, base: TrainingConfig | null): OverrideDraft | null {
  const used = new Set(draft.overrides.map((o) => o.field));
  const field = VARIANT_FIELDS.find((f) => !used.has(f.id));
  if (field === undefined) return null;
  return { field: field.id, text: base ? textOf(field.read(base)) : '' };
}

export function newVariantDraft(base: TrainingConfig | null, like?: VariantDraft): VariantDraft {
  if (like) return { key: newVariantKey(), overrides: like.overrides };
  const first = nextOverride({ key: '', overrides: [] }, base);
  return { key: newVariantKey(), overrides: first ? [first] : [] };
}

export interface ParsedComparison {
  /** Every variant and its validated config, when everything parses; null otherwise. */
  readonly variants: readonly { readonly variant: Variant; readonly config: TrainingConfig }[] | null;
  /** `${variantKey}/${field}` → message at that input. */
  readonly fieldErrors: Readonly<Record<string, string>>;
  /** variantKey → messages about the variant's whole config (e.g. batch larger than the data). */
  readonly variantErrors: Readonly<Record<string, readonly string[]>>;
  /** Messages about the comparison as a whole (too few variants, invalid base). */
  readonly errors: readonly string[];
}

export const fieldKey = (variantKey: string, field: VariantFieldId) => `${variantKey}/${field}`;

export function parseComparison(
  base: TrainingConfig | null,
  drafts: readonly VariantDraft[],
): ParsedComparison {
  const fieldErrors: Record<string, string> = {};
  const variantErrors: Record<string, string[]> = {};
  const errors: string[] = [];
  if (base === null) errors.push('The base config (on the left) has errors: fix them first.');
  if (drafts.length < MIN_VARIANTS) errors.push(`A comparison needs at least ${MIN_VARIANTS} variants.`);
  if (drafts.length > MAX_VARIANTS) errors.push(`A comparison has at most ${MAX_VARIANTS} variants.`);
  const variants: { variant: Variant; config: TrainingConfig }[] = [];
  for (const draft of drafts) {
    const overrides: VariantOverride[] = [];
    for (const { field, text } of draft.overrides) {
      const parsed = variantField(field).parse(text);
      if (parsed.ok) overrides.push({ field, value: parsed.value });
      else fieldErrors[fieldKey(draft.key, field)] = parsed.error;
    }
    if (base === null || overrides.length !== draft.overrides.length) continue;
    const variant: Variant = { key: draft.key, overrides };
    const result = applyVariant(base, variant);
    if (result.ok) variants.push({ variant, config: result.config });
    else
      variantErrors[draft.key] = Object.entries(result.errors).map(
        ([path, message]) => `${path}: ${message}`,
      );
  }
  const ok =
    errors.length === 0 &&
    Object.keys(fieldErrors).length === 0 &&
    Object.keys(variantErrors).length === 0 &&
    variants.length === drafts.length;
  return { variants: ok ? variants : null, fieldErrors, variantErrors, errors };
}

/** Legend labels for the drafts as they stand (fields that do not parse yet are left out). */
export function draftLabels(drafts: readonly VariantDraft[]): string[] {
  const variants = drafts.map((draft) => ({
    key: draft.key,
    overrides: draft.overrides.flatMap(({ field, text }) => {
      const parsed = variantField(field).parse(text);
      return parsed.ok ? [{ field, value: parsed.value }] : [];
    }),
  }));
  return variantLabels(variants);
}
