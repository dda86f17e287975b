import {
  availableTrainingExamples,
  DEFAULT_CONFIG,
  DEFAULT_HIDDEN_LAYER,
  validateConfig,
  type Activation,
  type ConfigValidation,
  type GradientDescent,
  type Initializer,
  type LossKind,
  type Normalization,
  type OptimizerKind,
  type ScheduleKind,
  type SplitMethod,
  type TrainingConfig,
} from '../core/config.ts';

/**
 * The form keeps what the user typed as text, so a half-typed "0." is not lost; each render turns
 * the draft into a config through the one validator, and problems are shown at their field. The
 * draft mirrors the config's shape, so a field's path in the draft is its path in the config
 * (except `data.validationPercent`, shown in percent).
 */

export interface LayerDraft {
  /** Stable React key, so editing or moving a row keeps its focus. */
  readonly key: number;
  readonly units: string;
  readonly activation: Activation;
  readonly dropout: string;
  readonly batchNorm: boolean;
}

export interface FormDraft {
  readonly name: string | undefined;
  readonly seed: string;
  readonly model: {
    readonly hiddenLayers: readonly LayerDraft[];
    readonly inputDropout: string;
    readonly init: Initializer;
  };
  readonly loss: {
    readonly kind: LossKind;
    readonly l2: string;
    readonly l1: string;
    readonly labelSmoothing: string;
  };
  readonly optimizer: {
    readonly kind: OptimizerKind;
    readonly learningRate: string;
    readonly momentum: string;
    readonly nesterov: boolean;
    readonly beta1: string;
    readonly beta2: string;
    readonly epsilon: string;
    readonly rho: string;
    readonly weightDecay: string;
  };
  readonly schedule: {
    readonly kind: ScheduleKind;
    readonly stepEpochs: string;
    readonly gamma: string;
    readonly minLearningRate: string;
  };
  readonly training: {
    readonly gradientDescent: GradientDescent;
    readonly batchSize: string;
    readonly epochs: string;
  };
  readonly data: {
    readonly normalization: Normalization;
    readonly rotationDegrees: string;
    readonly cropPadding: string;
    readonly shiftPixels: string;
    readonly validationPercent: string;
    readonly splitMethod: SplitMethod;
    /** Empty, or the number left after the split, means all of them (null in the config). */
    readonly trainingExamples: string;
    readonly labelNoise: string;
  };
}

/** Percent without float noise: 0.1 → "10", 0.07 → "7". */
const percent = (fraction: number) => String(Number((fraction * 100).toPrecision(12)));

export function layerDraftFrom(layer = DEFAULT_HIDDEN_LAYER, key = 0): LayerDraft {
  return {
    key,
    units: String(layer.units),
    activation: layer.activation,
    dropout: String(layer.dropout),
    batchNorm: layer.batchNorm,
  };
}

export function draftFrom(config: TrainingConfig): FormDraft {
  const { model, loss, optimizer: o, schedule: s, training: t, data: d } = config;
  return {
    name: config.name,
    seed: String(config.seed),
    model: {
      hiddenLayers: model.hiddenLayers.map((layer, i) => layerDraftFrom(layer, i)),
      inputDropout: String(model.inputDropout),
      init: model.init,
    },
    loss: {
      kind: loss.kind,
      l2: String(loss.l2),
      l1: String(loss.l1),
      labelSmoothing: String(loss.labelSmoothing),
    },
    optimizer: {
      kind: o.kind,
      learningRate: String(o.learningRate),
      momentum: String(o.momentum),
      nesterov: o.nesterov,
      beta1: String(o.beta1),
      beta2: String(o.beta2),
      epsilon: String(o.epsilon),
      rho: String(o.rho),
      weightDecay: String(o.weightDecay),
    },
    schedule: {
      kind: s.kind,
      stepEpochs: String(s.stepEpochs),
      gamma: String(s.gamma),
      minLearningRate: String(s.minLearningRate),
    },
    training: {
      gradientDescent: t.gradientDescent,
      batchSize: String(t.batchSize),
      epochs: String(t.epochs),
    },
    data: {
      normalization: d.normalization,
      rotationDegrees: String(d.rotationDegrees),
      cropPadding: String(d.cropPadding),
      shiftPixels: String(d.shiftPixels),
      validationPercent: percent(d.validationFraction),
      splitMethod: d.splitMethod,
      trainingExamples: String(d.trainingExamples ?? availableTrainingExamples(d.validationFraction)),
      labelNoise: String(d.labelNoise),
    },
  };
}

/** Empty or non-numeric text becomes NaN, which the schema reports as "must be a number". */
export function toNumber(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/** The draft as an unvalidated config-shaped value. */
function rawConfig(draft: FormDraft): unknown {
  const { model, loss, optimizer: o, schedule: s, training: t, data: d } = draft;
  const validationFraction = toNumber(d.validationPercent) / 100;
  const examples = d.trainingExamples.trim() === '' ? null : toNumber(d.trainingExamples);
  const available = Number.isFinite(validationFraction) ? availableTrainingExamples(validationFraction) : NaN;
  return {
    version: DEFAULT_CONFIG.version,
    ...(draft.name ? { name: draft.name } : {}),
    seed: toNumber(draft.seed),
    model: {
      hiddenLayers: model.hiddenLayers.map((l) => ({
        units: toNumber(l.units),
        activation: l.activation,
        dropout: toNumber(l.dropout),
        batchNorm: l.batchNorm,
      })),
      inputDropout: toNumber(model.inputDropout),
      init: model.init,
    },
    loss: {
      kind: loss.kind,
      l2: toNumber(loss.l2),
      l1: toNumber(loss.l1),
      labelSmoothing: toNumber(loss.labelSmoothing),
    },
    optimizer: {
      kind: o.kind,
      learningRate: toNumber(o.learningRate),
      momentum: toNumber(o.momentum),
      nesterov: o.nesterov,
      beta1: toNumber(o.beta1),
      beta2: toNumber(o.beta2),
      epsilon: toNumber(o.epsilon),
      rho: toNumber(o.rho),
      weightDecay: toNumber(o.weightDecay),
    },
    schedule: {
      kind: s.kind,
      stepEpochs: toNumber(s.stepEpochs),
      gamma: toNumber(s.gamma),
      minLearningRate: toNumber(s.minLearningRate),
    },
    training: {
      gradientDescent: t.gradientDescent,
      batchSize: toNumber(t.batchSize),
      epochs: toNumber(t.epochs),
    },
    data: {
      normalization: d.normalization,
      rotationDegrees: toNumber(d.rotationDegrees),
      cropPadding: toNumber(d.cropPadding),
      shiftPixels: toNumber(d.shiftPixels),
      validationFraction,
      splitMethod: d.splitMethod,
      // Training on everything that is left is stored as null, so the config stays valid if the split changes.
      trainingExamples: examples === available ? null : examples,
      labelNoise: toNumber(d.labelNoise),
    },
  };
}

export function configFromDraft(draft: FormDraft): ConfigValidation {
  return validateConfig(rawConfig(draft));
}

/** Where a field's message lives in the validator's output. */
export function errorPath(draftPath: string): string {
  return draftPath === 'data.validationPercent' ? 'data.validationFraction' : draftPath;
}

/** Reads a leaf of the draft by dotted path ("model.hiddenLayers.0.units"). */
export function getIn(draft: FormDraft, path: string): unknown {
  let node: unknown = draft;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Returns a copy of `node` with the leaf at `keys` replaced, copying only the objects on the way. */
function setPath(node: unknown, keys: readonly string[], value: unknown): unknown {
  const [head, ...rest] = keys;
  if (head === undefined) return value;
  if (Array.isArray(node)) {
    const copy = [...node];
    copy[Number(head)] = setPath(copy[Number(head)], rest, value);
    return copy;
  }
  const record = (node ?? {}) as Record<string, unknown>;
  return { ...record, [head]: setPath(record[head], rest, value) };
}

export function setIn(draft: FormDraft, path: string, value: string | boolean): FormDraft {
  return setPath(draft, path.split('.'), value) as FormDraft;
}
