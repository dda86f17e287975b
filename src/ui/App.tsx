import { useState } from 'react';
import { canStartTraining, hasRunToForget, isRunActive } from '../client/runState.ts';
import type { BackendChoice } from '../core/backends.ts';
import { NO_LAYER_STEPS } from '../core/layerStepNorms.ts';
import { MNIST_TRAIN_COUNT, type FieldErrors } from '../core/config.ts';
import type { EngineChoice } from '../core/engines.ts';
import type { Lesson } from '../core/lessons.ts';
import type { View } from '../core/urlState.ts';
import { AnalysisSection } from './analysis/AnalysisSection.tsx';
import { ComparePanel, type CompareRequest } from './compare/ComparePanel.tsx';
import { useRunHistory } from './compare/useRunHistory.ts';
import { BackendPicker } from './BackendPicker.tsx';
import { ConfigIO } from './ConfigIO.tsx';
import { DataPanel } from './DataPanel.tsx';
import { DetailsPanel } from './DetailsPanel.tsx';
import { DrawPanel } from './draw/DrawPanel.tsx';
import { EnginePicker } from './EnginePicker.tsx';
import { TextField } from './fields.tsx';
import { HelpTip } from './HelpTip.tsx';
import { LearningRateControl } from './LearningRateControl.tsx';
import { LessonsPanel } from './lessons/LessonsPanel.tsx';
import { LearningRateFinder } from './lrFinder/LearningRateFinder.tsx';
import { LossPanel } from './LossPanel.tsx';
import { formMemoryCheck, MemoryAlert } from './MemoryAlert.tsx';
import { ModelPanel } from './ModelPanel.tsx';
import { ModelsPanel } from './models/ModelsPanel.tsx';
import { OptimisationPanel } from './OptimizerFields.tsx';
import { readPageUrl, writePageUrl } from './pageUrl.ts';
import { PresetPicker } from './PresetPicker.tsx';
import { UpdatePrompt } from './pwa/UpdatePrompt.tsx';
import './presenter.css';
import { ResultPanel } from './ResultPanel.tsx';
import { RunControls } from './RunControls.tsx';
import { SpeedControl } from './SpeedControl.tsx';
import { StatusLine } from './StatusLine.tsx';
import { TrainingCharts } from './TrainingCharts.tsx';
import { useConfigDraft } from './useConfigDraft.ts';
import { useMixMyDigits } from './useMixMyDigits.ts';
import { useRecordTrainRuns } from './useRecordTrainRuns.ts';
import { useTrainer } from './useTrainer.ts';
import { viewPanelId, viewTabId, ViewTabs } from './ViewTabs.tsx';

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

/** No analyses yet: one identity, so the memoised analysis section does not re-render for nothing. */
const NO_ANALYSES: readonly never[] = [];

export function App() {
  const [fromUrl] = useState(readPageUrl);
  const [backend, setBackend] = useState<BackendChoice>(fromUrl.backend);
  const [engine, setEngine] = useState<EngineChoice>(fromUrl.engine);
  const [view, setView] = useState<View>(fromUrl.view);
  const [lesson, setLesson] = useState<Lesson | null>(fromUrl.lesson);
  const [compareRequest, setCompareRequest] = useState<CompareRequest | null>(
    fromUrl.lesson?.variants ? { id: 1, variants: fromUrl.lesson.variants } : null,
  );
  const [presenter, setPresenter] = useState(fromUrl.present);
  const [stepDelayMs, setStepDelayMs] = useState(fromUrl.lesson?.stepDelayMs ?? 0);
  const [comparing, setComparing] = useState(false);
  const [state, session] = useTrainer(fromUrl.backend, fromUrl.lesson?.stepDelayMs ?? 0);
  const history = useRunHistory();
  const lastRecord = useRecordTrainRuns(state, history.save);
  const busy = !canStartTraining(state);
  const { form, validation, load } = useConfigDraft(fromUrl.config, busy);
  const config = validation.ok ? validation.config : null;
  // Refused before Train when it would not fit in memory (the worker checks again).
  const memory = formMemoryCheck(config, backend, state.worker.backend, engine);
  const mixMyDigits = useMixMyDigits();
  // The drawings the Train view mixes in (never a comparison's: they are not in the config).
  const fits = (memory === null || memory.ok) && mixMyDigits.problem === null;
  const active = isRunActive(state.phase);
  const run = state.run;

  const changeBackend = (choice: BackendChoice) => {
    setBackend(choice);
    writePageUrl('backend', choice);
    session.prepare(choice);
  };

  const changeEngine = (choice: EngineChoice) => {
    setEngine(choice);
    writePageUrl('engine', choice);
  };

  const changeView = (next: View) => {
    setView(next);
    writePageUrl('view', next);
  };

  const changeSpeed = (delayMs: number) => {
    setStepDelayMs(delayMs);
    session.setSpeed(delayMs);
  };

  const startLesson = (next: Lesson) => {
    load(next.config);
    setLesson(next);
    writePageUrl('lesson', next);
    changeView(next.variants ? 'compare' : 'train');
    if (next.variants) setCompareRequest((r) => ({ id: (r?.id ?? 0) + 1, variants: next.variants ?? [] }));
    changeSpeed(next.stepDelayMs);
  };

  const togglePresenter = () => {
    setPresenter(!presenter);
    writePageUrl('present', !presenter);
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
          writePageUrl('lesson', null);
        }}
      />
      {fromUrl.warnings.map((warning) => (
        <p key={warning} className="banner" role="alert">
          {warning}
        </p>
      ))}
      {fromUrl.configErrors ? <UrlConfigAlert errors={fromUrl.configErrors} /> : null}
      {/* The service worker's precache waits until all of MNIST is in, so it never slows a first visit. */}
      <UpdatePrompt
        pageReady={state.worker.data?.trainCount === MNIST_TRAIN_COUNT}
        runActive={active || comparing}
      />
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
              <OptimisationPanel
                form={form}
                finder={
                  <LearningRateFinder
                    config={config}
                    backend={backend}
                    runActive={busy}
                    request={session.request}
                    onUse={(rate) => form.set('optimizer.learningRate', String(rate))}
                  />
                }
              />
              <DataPanel
                form={form}
                config={config}
                ready={state.worker.data !== null}
                request={session.request}
                mixMyDigits={mixMyDigits}
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
              onActiveChange={setComparing}
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
                  hasRun={hasRunToForget(state)}
                  onTrain={() => {
                    if (config !== null && fits)
                      session.train(
                        { config, backend, engine, threads: fromUrl.threads },
                        { extraTraining: mixMyDigits.extraTraining() },
                      );
                  }}
                  onPause={() => session.pause()}
                  onResume={() => session.resume()}
                  onStop={() => session.stop()}
                  onReset={() => session.reset()}
                  onStep={(kind) => {
                    if (config !== null)
                      session.step(
                        kind,
                        { config, backend, engine, threads: fromUrl.threads },
                        { extraTraining: mixMyDigits.extraTraining() },
                      );
                  }}
                />
                <SpeedControl delayMs={stepDelayMs} onChange={changeSpeed} />
                <BackendPicker
                  choice={backend}
                  active={state.worker.backend}
                  disabled={busy}
                  onChange={changeBackend}
                />
                <EnginePicker
                  choice={engine}
                  active={run?.shape?.engine ?? null}
                  disabled={busy}
                  onChange={changeEngine}
                />
              </div>
              <StatusLine state={state} onRetry={() => session.prepare(backend)} />
              <MemoryAlert check={memory} />
              {active && state.phase !== 'evaluating' ? (
                <LearningRateControl
                  current={run?.learningRate ?? null}
                  onApply={(rate) => session.setLearningRate(rate)}
                />
              ) : null}
            </section>
            <ResultPanel state={state} record={lastRecord} />
            <TrainingCharts state={state} />
            <DrawPanel
              request={session.request}
              phase={state.phase}
              epoch={run?.epoch ?? 0}
              test={state.worker.testImages}
              modelRevision={state.loadedModel?.status === 'loaded' ? state.loadedModel.requestId : 0}
            />
            <ModelsPanel
              state={state}
              config={config}
              request={session.request}
              onLoadConfig={load}
              onContinue={(c, initialWeights) =>
                session.train(
                  { config: c, backend, engine, threads: fromUrl.threads },
                  { initialWeights, extraTraining: mixMyDigits.extraTraining() },
                )
              }
            />
            <AnalysisSection
              analyses={run?.analyses ?? NO_ANALYSES}
              test={state.worker.testImages}
              config={config}
              dataReady={state.worker.data !== null}
              request={session.request}
              layerSteps={run === null ? NO_LAYER_STEPS : run.layerSteps}
            />
            <DetailsPanel state={state} onMeasureAgain={() => session.forgetEngineChoices()} />
          </div>
        </div>
      </main>
    </div>
  );
}
