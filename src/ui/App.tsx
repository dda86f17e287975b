import { useCallback, useState } from 'react';
import { canStartTraining } from '../client/runState.ts';
import { isBackendChoice, type BackendChoice } from '../core/backends.ts';
import { DEFAULT_CONFIG, type FieldErrors, type TrainingConfig } from '../core/config.ts';
import { isEngineChoice, type EngineChoice } from '../core/engines.ts';
import { decodeConfigFromSearch } from '../core/urlCodec.ts';
import { AnalysisSection } from './analysis/AnalysisSection.tsx';
import { ComparePanel } from './compare/ComparePanel.tsx';
import { useRunHistory } from './compare/useRunHistory.ts';
import { BackendPicker } from './BackendPicker.tsx';
import { ConfigIO } from './ConfigIO.tsx';
import { DataPanel } from './DataPanel.tsx';
import { DetailsPanel } from './DetailsPanel.tsx';
import { DrawPanel } from './draw/DrawPanel.tsx';
import { EnginePicker } from './EnginePicker.tsx';
import { TextField } from './fields.tsx';
import { LearningRateControl } from './LearningRateControl.tsx';
import { LossPanel } from './LossPanel.tsx';
import { ModelPanel } from './ModelPanel.tsx';
import { ModelsPanel } from './models/ModelsPanel.tsx';
import { OptimisationPanel } from './OptimizerFields.tsx';
import { PresetPicker } from './PresetPicker.tsx';
import { ResultPanel } from './ResultPanel.tsx';
import { RunControls } from './RunControls.tsx';
import { StatusLine } from './StatusLine.tsx';
import { formMemoryCheck, MemoryAlert } from './MemoryAlert.tsx';
import { TrainingCharts } from './TrainingCharts.tsx';
import { useConfigDraft } from './useConfigDraft.ts';
import { useRecordTrainRuns } from './useRecordTrainRuns.ts';
import { isView, viewPanelId, viewTabId, ViewTabs, type View } from './ViewTabs.tsx';
import { LessonsPanel } from './lessons/LessonsPanel.tsx';
import { HelpTip } from './HelpTip.tsx';
import { SpeedControl } from './SpeedControl.tsx';
import type { CompareRequest } from './compare/ComparePanel.tsx';
import { lessonById, type Lesson } from '../core/lessons.ts';
import './presenter.css';
import { useTrainer } from './useTrainer.ts';

interface FromUrl {
  readonly view: View;
  /** `?lesson=<id>`: the lesson to show (its config unless the link also carries one). */
  readonly lesson: Lesson | null;
  /** `?present=1`: presenter mode. */
  readonly presenter: boolean;
  readonly backend: BackendChoice;
  readonly engine: EngineChoice;
  readonly config: TrainingConfig;
  readonly warnings: readonly string[];
  readonly configErrors: FieldErrors | null;
}

/** A `?name=` choice from the link, or `auto` with a warning when it is unknown. */
function readChoice<T extends string>(
  params: URLSearchParams,
  name: string,
  isChoice: (value: unknown) => value is T,
  warnings: string[],
): T | 'auto' {
  const requested = params.get(name);
  if (requested === null) return 'auto';
  if (isChoice(requested)) return requested;
  warnings.push(`The link asks for an unknown ${name} "${requested.slice(0, 40)}"; using auto instead.`);
  return 'auto';
}

/**
 * `?backend=wasm` forces a backend, `?engine=tfjs` an engine, and `?config=` carries the whole
 * config; anything unknown or invalid falls back to the default with a message.
 */
function readUrl(): FromUrl {
  const search = window.location.search;
  const params = new URLSearchParams(search);
  const warnings: string[] = [];
  const backend = readChoice(params, 'backend', isBackendChoice, warnings);
  const engine = readChoice(params, 'engine', isEngineChoice, warnings);
  const requestedLesson = params.get('lesson');
  const lesson = requestedLesson === null ? null : lessonById(requestedLesson);
  if (requestedLesson !== null && lesson === null) {
    warnings.push(`The link asks for an unknown lesson "${requestedLesson.slice(0, 40)}".`);
  }
  const requestedView = params.get('view');
  const lessonView: View = lesson?.variants ? 'compare' : 'train';
  const view: View = isView(requestedView) ? requestedView : lesson ? lessonView : 'train';
  if (requestedView !== null && !isView(requestedView)) {
    warnings.push(`The link asks for an unknown view "${requestedView.slice(0, 40)}"; showing Train.`);
  }
  const presenter = params.get('present') === '1';
  const shared = { view, lesson, presenter, backend, engine, warnings };
  const decoded = decodeConfigFromSearch(search);
  if (decoded !== null && 'errors' in decoded) {
    return { ...shared, config: DEFAULT_CONFIG, configErrors: decoded.errors };
  }
  return { ...shared, config: decoded?.config ?? lesson?.config ?? DEFAULT_CONFIG, configErrors: null };
}

/** Keeps `?name=` in the address bar in step with a picker (absent for the default). */
function writeChoice(name: string, choice: string, fallback = 'auto'): void {
  const url = new URL(window.location.href);
  if (choice === fallback) url.searchParams.delete(name);
  else url.searchParams.set(name, choice);
  window.history.replaceState(null, '', url);
}

function UrlConfigAlert({ errors }: { readonly errors: FieldErrors }) {
  return (
    <div className="banner" role="alert">
      The config in the link is invalid, so the defaults are shown:
      <ul>
        {Object.entries(errors).map(([field, message]) => (
          <li key={field}>
            {field}: {message}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function App() {
  const [fromUrl] = useState(readUrl);
  const [backend, setBackend] = useState<BackendChoice>(fromUrl.backend);
  const [engine, setEngine] = useState<EngineChoice>(fromUrl.engine);
  const [view, setView] = useState<View>(fromUrl.view);
  const [lesson, setLesson] = useState<Lesson | null>(fromUrl.lesson);
  const [compareRequest, setCompareRequest] = useState<CompareRequest | null>(
    fromUrl.lesson?.variants ? { id: 1, variants: fromUrl.lesson.variants } : null,
  );
  const [presenter, setPresenter] = useState(fromUrl.presenter);
  const [stepDelayMs, setStepDelayMs] = useState(fromUrl.lesson?.stepDelayMs ?? 0);
  const [state, actions] = useTrainer(fromUrl.backend, fromUrl.lesson?.stepDelayMs ?? 0);
  const history = useRunHistory();
  const { started: trainStarted, record: lastRecord } = useRecordTrainRuns(state, history.save);
  const busy = !canStartTraining(state);
  const { form, validation, load } = useConfigDraft(fromUrl.config, busy);
  const config = validation.ok ? validation.config : null;
  // Refused before Train when it would not fit in memory (the worker checks again).
  const memory = formMemoryCheck(config, backend, state.backend?.name ?? null, engine);
  const fits = memory === null || memory.ok;
  const active = ['starting', 'training', 'paused', 'evaluating'].includes(state.phase);
  const hasRun = active || state.run !== null || state.result !== null || state.trainLoss.length > 0;

  const previewDataset = useCallback(
    (c: TrainingConfig, perClass: number, seed: number) =>
      actions.previewAugmentation(c, perClass * 10, seed, perClass),
    [actions],
  );

  const changeBackend = (choice: BackendChoice) => {
    setBackend(choice);
    writeChoice('backend', choice);
    actions.prepare(choice);
  };

  const changeEngine = (choice: EngineChoice) => {
    setEngine(choice);
    writeChoice('engine', choice);
  };

  const changeView = (next: View) => {
    setView(next);
    writeChoice('view', next, 'train');
  };

  const changeSpeed = (delayMs: number) => {
    setStepDelayMs(delayMs);
    actions.setSpeed(delayMs);
  };

  const startLesson = (next: Lesson) => {
    load(next.config);
    setLesson(next);
    writeChoice('lesson', next.id, '');
    changeView(next.variants ? 'compare' : 'train');
    if (next.variants) setCompareRequest((r) => ({ id: (r?.id ?? 0) + 1, variants: next.variants ?? [] }));
    changeSpeed(next.stepDelayMs);
  };

  const togglePresenter = () => {
    setPresenter(!presenter);
    writeChoice('present', presenter ? '0' : '1', '0');
  };

  return (
    <div className={presenter ? 'app presenter' : 'app'}>
      <header className="app-header">
        <div>
          <h1>MLP Playground</h1>
          <p>Train a multi-layer perceptron on real MNIST in your browser and watch it learn.</p>
        </div>
        <HelpTip text="Large type and high contrast for a projector; advanced controls are hidden, not lost.">
          <button
            type="button"
            className="presenter-toggle"
            aria-pressed={presenter}
            onClick={togglePresenter}
          >
            Presenter mode
          </button>
        </HelpTip>
      </header>
      <LessonsPanel
        compact={presenter}
        active={lesson}
        disabled={busy}
        onStart={startLesson}
        onClose={() => {
          setLesson(null);
          writeChoice('lesson', '', '');
        }}
      />
      {fromUrl.warnings.map((warning) => (
        <p key={warning} className="banner" role="alert">
          {warning}
        </p>
      ))}
      {fromUrl.configErrors ? <UrlConfigAlert errors={fromUrl.configErrors} /> : null}
      <main className={view === 'compare' ? 'layout compare-mode' : 'layout'}>
        <div className="config-column">
          <section className="panel config-panel" aria-label="Config">
            <PresetPicker disabled={busy} onLoad={load} />
            <TextField
              label="Name"
              help="Optional; names the exported file."
              maxLength={120}
              value={form.draft.name ?? ''}
              error={form.errors['name']}
              disabled={busy}
              onChange={(name) => form.set('name', name)}
            />
            <ConfigIO config={config} disabled={busy} onImport={load} />
          </section>
          <div className="config-panels">
            <div>
              <ModelPanel form={form} />
              <LossPanel form={form} />
            </div>
            <div>
              <OptimisationPanel form={form} />
              <DataPanel
                form={form}
                config={config}
                preview={state.augmentationPreview}
                ready={state.dataReady}
                onPreview={actions.previewAugmentation}
              />
            </div>
          </div>
        </div>
        <div className="main-column">
          <ViewTabs view={view} onChange={changeView} />
          <div
            role="tabpanel"
            id={viewPanelId('compare')}
            aria-labelledby={viewTabId('compare')}
            hidden={view !== 'compare'}
          >
            <ComparePanel
              base={config}
              backend={backend}
              engine={engine}
              history={history}
              request={compareRequest}
            />
          </div>
          <div
            role="tabpanel"
            id={viewPanelId('train')}
            aria-labelledby={viewTabId('train')}
            hidden={view !== 'train'}
          >
            <section className="panel run" aria-label="Run">
              <div className="run-bar">
                <RunControls
                  phase={state.phase}
                  canTrain={config !== null && fits && state.phase !== 'idle'}
                  hasRun={hasRun}
                  onTrain={() => {
                    if (config === null || !fits) return;
                    trainStarted(config);
                    actions.train(config, backend, engine);
                  }}
                  onPause={actions.pause}
                  onResume={actions.resume}
                  onStop={actions.stop}
                  onReset={actions.reset}
                  onStep={(mode) => {
                    if (config === null) return;
                    if (state.phase !== 'paused') trainStarted(config);
                    actions.step(mode, config, backend, engine);
                  }}
                />
                <SpeedControl delayMs={stepDelayMs} onChange={changeSpeed} />
                <BackendPicker
                  choice={backend}
                  active={state.backend}
                  disabled={busy}
                  onChange={changeBackend}
                />
                <EnginePicker
                  choice={engine}
                  active={state.run?.engine ?? null}
                  disabled={busy}
                  onChange={changeEngine}
                />
              </div>
              <StatusLine state={state} onRetry={() => actions.prepare(backend)} />
              <MemoryAlert check={memory} />
              {active && state.phase !== 'evaluating' ? (
                <LearningRateControl current={state.learningRate} onApply={actions.setLearningRate} />
              ) : null}
            </section>
            <ResultPanel state={state} record={lastRecord} />
            <TrainingCharts state={state} />
            <DrawPanel
              predict={actions.predict}
              prediction={state.prediction}
              phase={state.phase}
              epoch={state.epoch}
              test={state.testImages}
              modelRevision={state.loadedModel?.status === 'loaded' ? state.loadedModel.requestId : 0}
            />
            <ModelsPanel
              state={state}
              config={config}
              trainer={actions}
              onLoadConfig={load}
              onContinue={(c, weights) => {
                trainStarted(c);
                actions.train(c, backend, engine, weights);
              }}
            />
            <AnalysisSection
              analyses={state.analyses}
              test={state.testImages}
              datasetPreview={state.datasetPreview}
              config={config}
              dataReady={state.dataReady}
              onPreviewDataset={previewDataset}
            />
            <DetailsPanel state={state} />
          </div>
        </div>
      </main>
    </div>
  );
}
