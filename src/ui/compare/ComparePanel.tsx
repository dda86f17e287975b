import { memo, useEffect, useMemo, useState } from 'react';
import { PALETTE } from '../../charts/palette.ts';
import type { BackendChoice } from '../../core/backends.ts';
import { comparedFromRecord } from '../../core/comparedRun.ts';
import {
  COMPARE_PRESETS,
  expectedFairness,
  newVariantKey,
  presetVariants,
  type ComparePreset,
  type VariantOverride,
} from '../../core/comparison.ts';
import type { TrainingConfig } from '../../core/config.ts';
import type { EngineChoice } from '../../core/engines.ts';
import { ComparisonRuns } from './ComparisonRuns.tsx';
import { CompareResults } from './CompareResults.tsx';
import { FairnessNote } from './FairnessNote.tsx';
import { HelpTip } from '../HelpTip.tsx';
import { HistoryPanel } from './HistoryPanel.tsx';
import { RunImport } from './RunImport.tsx';
import { useComparison } from './useComparison.ts';
import type { RunHistory } from './useRunHistory.ts';
import { VariantEditor } from './VariantEditor.tsx';
import { draftLabels, draftOf, parseComparison, type VariantDraft } from './variantDraft.ts';
import './compare.css';

/** Line colours in variant order (Okabe–Ito), then again, dashed, for runs from the history. */
const COLORS = [PALETTE.blue, PALETTE.vermillion, PALETTE.green, PALETTE.orange, PALETTE.purple, PALETTE.sky];
const colorAt = (i: number) => COLORS[i % COLORS.length] as string;

const DEFAULT_PRESET = COMPARE_PRESETS[0] as ComparePreset;

const draftsOf = (request: CompareRequest): VariantDraft[] =>
  request.variants.map((overrides) => draftOf({ key: newVariantKey(), overrides }));

const PARALLEL_CHOICES = [
  { value: 'all', label: 'All at once', max: Infinity },
  { value: '2', label: 'Two at a time', max: 2 },
  { value: '1', label: 'One at a time', max: 1 },
] as const;

/** Variants to set up from outside (a lesson); a new `id` replaces the editor's variants. */
export interface CompareRequest {
  readonly id: number;
  readonly variants: readonly (readonly VariantOverride[])[];
}

interface ComparePanelProps {
  /** The base config: the Train view's form, validated (null while it has errors). */
  readonly base: TrainingConfig | null;
  readonly backend: BackendChoice;
  readonly engine: EngineChoice;
  readonly history: RunHistory;
  readonly request?: CompareRequest | null;
  /** Told whether a comparison is running (the Update prompt waits for its end). */
  readonly onActiveChange?: (active: boolean) => void;
}

/**
 * Compare runs: a base config plus 2–6 variants that change named fields, trained side by side
 * in parallel workers from the same initial weights and data order, overlaid on one set of
 * charts; finished runs go to the history, and past runs can join the comparison.
 */
export const ComparePanel = memo(function ComparePanel({
  base,
  backend,
  engine,
  history,
  request = null,
  onActiveChange,
}: ComparePanelProps) {
  const [preset, setPreset] = useState<ComparePreset | null>(request ? null : DEFAULT_PRESET);
  const [drafts, setDrafts] = useState<VariantDraft[]>(() =>
    request ? draftsOf(request) : presetVariants(DEFAULT_PRESET).map(draftOf),
  );
  const [appliedRequest, setAppliedRequest] = useState(request?.id ?? null);
  // A new request (a lesson started) replaces the variants; adjusting state while rendering,
  // as React recommends for state derived from a changed prop.
  if (request !== null && request.id !== appliedRequest) {
    setAppliedRequest(request.id);
    setPreset(null);
    setDrafts(draftsOf(request));
  }
  const [parallel, setParallel] = useState<(typeof PARALLEL_CHOICES)[number]['value']>('all');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [snapshot, runner] = useComparison(history.save);

  const parsed = useMemo(() => parseComparison(base, drafts), [base, drafts]);
  const labels = useMemo(() => draftLabels(drafts), [drafts]);
  const active = snapshot.active;
  useEffect(() => onActiveChange?.(active), [active, onActiveChange]);
  const variants = parsed.variants;
  const expected =
    base && variants
      ? expectedFairness(
          base,
          variants.map((v) => v.variant),
        )
      : null;
  const mixedEngines =
    variants !== null &&
    new Set(variants.map((v) => v.config.model.hiddenLayers.some((layer) => layer.batchNorm))).size > 1;
  const maxParallel = PARALLEL_CHOICES.find((c) => c.value === parallel)?.max ?? Infinity;

  const historyRuns = useMemo(
    () =>
      history.records
        .filter((record) => selected.has(record.id))
        .map((record, i) => comparedFromRecord(record, colorAt(snapshot.runs.length + i))),
    [history.records, selected, snapshot.runs.length],
  );
  const shown = useMemo(() => [...snapshot.runs, ...historyRuns], [snapshot.runs, historyRuns]);
  const epochs = useMemo(
    () =>
      Object.fromEntries(
        (variants ?? []).map(({ variant, config }) => [variant.key, config.training.epochs]),
      ),
    [variants],
  );

  const choosePreset = (next: ComparePreset) => {
    setPreset(next);
    setDrafts(presetVariants(next).map(draftOf));
  };

  const run = () => {
    if (variants === null) return;
    runner.start(
      variants.map(({ variant, config }, i) => ({
        key: variant.key,
        label: labels[i] ?? `Variant ${i + 1}`,
        color: colorAt(i),
        config,
      })),
      { backend, engine, maxParallel },
    );
  };

  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="compare-view">
      <section className="panel compare-setup" aria-label="Compare runs">
        <h2>Compare runs</h2>
        <p className="field-help">
          The base is the config on the left. Each variant changes only the fields you name; everything else,
          the seed included, stays the same.
        </p>
        <div className="preset-bar" role="group" aria-label="Comparison presets">
          {COMPARE_PRESETS.map((p) => (
            <HelpTip key={p.id} text={`Set up this race: ${p.lesson}`}>
              <button
                type="button"
                aria-pressed={preset?.id === p.id}
                disabled={active}
                onClick={() => choosePreset(p)}
              >
                {p.title}
              </button>
            </HelpTip>
          ))}
        </div>
        {preset ? <p className="preset-lesson">{preset.lesson}</p> : null}
        <VariantEditor
          drafts={drafts}
          labels={labels}
          colors={drafts.map((_, i) => colorAt(i))}
          base={base}
          fieldErrors={parsed.fieldErrors}
          variantErrors={parsed.variantErrors}
          disabled={active}
          onChange={(next) => {
            setPreset(null);
            setDrafts(next);
          }}
        />
        <FairnessNote
          expected={expected}
          runs={snapshot.runs}
          seed={base?.seed ?? null}
          mixedEngines={mixedEngines}
          concurrent={maxParallel > 1 && drafts.length > 1}
        />
        {parsed.errors.length > 0 ? (
          <ul className="field-error" role="alert">
            {parsed.errors.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        ) : null}
        <div className="run-bar">
          <HelpTip text="Train every variant from the same weights and data order, side by side.">
            <button type="button" className="primary" disabled={active || variants === null} onClick={run}>
              Run comparison
            </button>
          </HelpTip>
          <HelpTip text="Stop every run of this comparison.">
            <button type="button" disabled={!active} onClick={() => runner.stopAll()}>
              Stop all
            </button>
          </HelpTip>
          <HelpTip text="How many variants train at once; fewer at a time gives each more of the CPU.">
            {(describedBy) => (
              <label>
                Run{' '}
                <select
                  value={parallel}
                  disabled={active}
                  aria-describedby={describedBy}
                  onChange={(e) => setParallel(e.target.value as typeof parallel)}
                >
                  {PARALLEL_CHOICES.map((choice) => (
                    <option key={choice.value} value={choice.value}>
                      {choice.label}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </HelpTip>
        </div>
        <ComparisonRuns
          runs={snapshot.runs}
          epochs={epochs}
          onPause={(key) => runner.pause(key)}
          onResume={(key) => runner.resume(key)}
          onStop={(key) => runner.stop(key)}
        />
      </section>
      <CompareResults runs={shown} base={base} />
      <RunImport
        save={history.save}
        onImported={(ids) => setSelected((current) => new Set([...current, ...ids]))}
      />
      <HistoryPanel
        records={history.records}
        status={history.status}
        error={history.error}
        skipped={history.skipped}
        selected={selected}
        onToggle={toggle}
        onRename={history.rename}
        onDelete={history.remove}
      />
    </div>
  );
});
