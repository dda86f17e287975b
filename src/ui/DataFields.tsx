import {
  availableTrainingExamples,
  NORMALIZATIONS,
  SPLIT_METHODS,
  type Normalization,
  type SplitMethod,
} from '../core/config.ts';
import { formatCount } from '../core/format.ts';
import { NumberField, SelectField } from './fields.tsx';
import { toNumber } from './formDraft.ts';
import { optionsOf } from '../core/displayNames.ts';
import { bind, type DraftForm } from './useConfigDraft.ts';

const NORMALIZATION_OPTIONS = optionsOf(NORMALIZATIONS);
const SPLIT_OPTIONS = optionsOf(SPLIT_METHODS);

/** Preprocessing, augmentation, the validation split, the subset and the seed. */
export function DataFields({ form }: { readonly form: DraftForm }) {
  const fraction = toNumber(form.draft.data.validationPercent) / 100;
  const available =
    Number.isFinite(fraction) && fraction >= 0 && fraction <= 1 ? availableTrainingExamples(fraction) : null;
  const text = (path: string) => bind<string>(form, `data.${path}`);
  return (
    <>
      <SelectField
        label="Normalization"
        help="How pixel values are scaled before the network."
        options={NORMALIZATION_OPTIONS}
        {...bind<Normalization>(form, 'data.normalization')}
      />
      <NumberField
        label="Rotation"
        help="Random rotation in ± degrees, 0–45."
        step="1"
        {...text('rotationDegrees')}
      />
      <NumberField
        label="Crop padding"
        advanced
        help="Pad by this many pixels, crop back to 28, 0–8."
        step="1"
        {...text('cropPadding')}
      />
      <NumberField
        label="Shift"
        advanced
        help="Random shift up to this many pixels, 0–8."
        step="1"
        {...text('shiftPixels')}
      />
      <NumberField
        label="Validation %"
        help="Share of the 60,000 held out, 0–50."
        step="1"
        {...text('validationPercent')}
      />
      <SelectField
        label="Split"
        advanced
        help="Which images are held out for validation."
        options={SPLIT_OPTIONS}
        {...bind<SplitMethod>(form, 'data.splitMethod')}
      />
      <NumberField
        label="Training examples"
        help={`A smaller subset trains in seconds${available === null ? '' : `; empty means all ${formatCount(available)}`}.`}
        step="1"
        {...text('trainingExamples')}
      />
      <NumberField
        label="Label noise"
        help="Share of training labels swapped for a random wrong class (with the seed), 0–0.9. Validation and test keep their true labels."
        step="0.05"
        {...text('labelNoise')}
      />
      <NumberField
        label="Seed"
        advanced
        help="Same seed, same weights and data order."
        step="1"
        {...bind<string>(form, 'seed')}
      />
    </>
  );
}
