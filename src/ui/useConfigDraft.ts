import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  MAX_HIDDEN_LAYERS,
  OPTIMIZER_DEFAULTS,
  type ConfigValidation,
  type FieldErrors,
  type OptimizerKind,
  type TrainingConfig,
} from '../core/config.ts';
import { encodeConfigToSearch } from '../core/urlCodec.ts';
import {
  configFromDraft,
  draftFrom,
  errorPath,
  getIn,
  layerDraftFrom,
  setIn,
  type FormDraft,
} from './formDraft.ts';
import type { FieldBinding } from './fields.tsx';

/** What the panels need: the draft, its messages, and how to change it. */
export interface DraftForm {
  readonly draft: FormDraft;
  readonly errors: FieldErrors;
  readonly disabled: boolean;
  readonly set: (path: string, value: string | boolean) => void;
  readonly addLayer: () => void;
  readonly removeLayer: (index: number) => void;
  readonly moveLayer: (index: number, by: -1 | 1) => void;
}

/** A binding for the field at `path` (a dotted draft path) of value type `V`. */
export function bind<V extends string | boolean>(form: DraftForm, path: string): FieldBinding<V> {
  return {
    value: getIn(form.draft, path) as V,
    error: form.errors[errorPath(path)],
    disabled: form.disabled,
    onChange: (value: V) => form.set(path, value),
  };
}

/** Whether a config's learning rate is just its optimizer's default (so switching may replace it). */
const isDefaultRate = (config: TrainingConfig) =>
  config.optimizer.learningRate === OPTIMIZER_DEFAULTS[config.optimizer.kind].learningRate;

/**
 * The config being edited: the draft text, its validation, and the page URL kept in step with
 * every valid edit (history.replaceState), so the address bar is always a link to this config.
 */
export function useConfigDraft(initial: TrainingConfig, disabled: boolean) {
  const [draft, setDraft] = useState<FormDraft>(() => draftFrom(initial));
  const [rateEdited, setRateEdited] = useState(() => !isDefaultRate(initial));
  const validation: ConfigValidation = useMemo(() => configFromDraft(draft), [draft]);

  useEffect(() => {
    if (!validation.ok) return;
    const search = encodeConfigToSearch(validation.config, window.location.search);
    if (search !== window.location.search) window.history.replaceState(null, '', search);
  }, [validation]);

  const set = useCallback(
    (path: string, value: string | boolean) => {
      if (path === 'optimizer.learningRate') setRateEdited(true);
      setDraft((prev) => {
        const next = setIn(prev, path, value);
        if (path !== 'optimizer.kind' || rateEdited) return next;
        const rate = OPTIMIZER_DEFAULTS[value as OptimizerKind].learningRate;
        return setIn(next, 'optimizer.learningRate', String(rate));
      });
    },
    [rateEdited],
  );

  const updateLayers = useCallback(
    (change: (layers: FormDraft['model']['hiddenLayers']) => FormDraft['model']['hiddenLayers']) => {
      setDraft((prev) => ({
        ...prev,
        model: { ...prev.model, hiddenLayers: change(prev.model.hiddenLayers) },
      }));
    },
    [],
  );

  const form: DraftForm = {
    draft,
    errors: validation.ok ? {} : validation.errors,
    disabled,
    set,
    addLayer: () =>
      updateLayers((layers) =>
        layers.length >= MAX_HIDDEN_LAYERS
          ? layers
          : [...layers, layerDraftFrom(undefined, Math.max(-1, ...layers.map((l) => l.key)) + 1)],
      ),
    removeLayer: (index) => updateLayers((layers) => layers.filter((_, i) => i !== index)),
    moveLayer: (index, by) =>
      updateLayers((layers) => {
        const target = index + by;
        const a = layers[index];
        const b = layers[target];
        if (a === undefined || b === undefined) return layers;
        const copy = [...layers];
        copy[index] = b;
        copy[target] = a;
        return copy;
      }),
  };

  /** Replaces the whole form (preset, import, link). */
  const load = useCallback((config: TrainingConfig) => {
    setDraft(draftFrom(config));
    setRateEdited(!isDefaultRate(config));
  }, []);

  return { form, validation, load };
}
