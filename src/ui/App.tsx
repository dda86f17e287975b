import { useMemo, useState } from 'react';
import { canStartTraining } from '../client/runState.ts';
import { isBackendChoice, type BackendChoice } from '../core/backends.ts';
import { DEFAULT_CONFIG } from '../core/config.ts';
import { BackendPicker } from './BackendPicker.tsx';
import { ConfigForm } from './ConfigForm.tsx';
import { configFromForm, formValuesFrom, type ConfigFormValues } from './configForm.ts';
import { DetailsPanel } from './DetailsPanel.tsx';
import { ResultPanel } from './ResultPanel.tsx';
import { RunControls } from './RunControls.tsx';
import { StatusLine } from './StatusLine.tsx';
import { TrainingCharts } from './TrainingCharts.tsx';
import { useTrainer } from './useTrainer.ts';

/** `?backend=wasm` forces a backend; anything unknown falls back to auto with a message. */
function backendFromUrl(): { choice: BackendChoice; warning: string | null } {
  const requested = new URLSearchParams(window.location.search).get('backend');
  if (requested === null) return { choice: 'auto', warning: null };
  if (isBackendChoice(requested)) return { choice: requested, warning: null };
  return {
    choice: 'auto',
    warning: `The link asks for an unknown backend "${requested.slice(0, 40)}"; using auto instead.`,
  };
}

export function App() {
  const [fromUrl] = useState(backendFromUrl);
  const [backend, setBackend] = useState<BackendChoice>(fromUrl.choice);
  const [state, actions] = useTrainer(fromUrl.choice);
  const [values, setValues] = useState<ConfigFormValues>(() => formValuesFrom(DEFAULT_CONFIG));
  const validation = useMemo(() => configFromForm(DEFAULT_CONFIG, values), [values]);
  const errors = validation.ok ? {} : validation.errors;
  const busy = !canStartTraining(state);

  const changeBackend = (choice: BackendChoice) => {
    setBackend(choice);
    const url = new URL(window.location.href);
    if (choice === 'auto') url.searchParams.delete('backend');
    else url.searchParams.set('backend', choice);
    window.history.replaceState(null, '', url);
    actions.prepare(choice);
  };

  return (
    <div className="app">
      <header className="app-header">
        <h1>MLP Playground</h1>
        <p>Train a multi-layer perceptron on real MNIST in your browser and watch it learn.</p>
      </header>
      {fromUrl.warning ? (
        <p className="banner" role="alert">
          {fromUrl.warning}
        </p>
      ) : null}
      <main className="layout">
        <div className="sidebar">
          <ConfigForm
            base={DEFAULT_CONFIG}
            values={values}
            errors={errors}
            disabled={busy}
            onChange={(name, value) => setValues((prev) => ({ ...prev, [name]: value }))}
          />
        </div>
        <div className="main-column">
          <section className="panel run" aria-label="Run">
            <div className="run-bar">
              <RunControls
                phase={state.phase}
                canTrain={validation.ok && state.phase !== 'idle'}
                onTrain={() => validation.ok && actions.train(validation.config, backend)}
                onPause={actions.pause}
                onResume={actions.resume}
                onStop={actions.stop}
              />
              <BackendPicker
                choice={backend}
                active={state.backend}
                disabled={busy}
                onChange={changeBackend}
              />
            </div>
            <StatusLine state={state} />
          </section>
          <ResultPanel state={state} />
          <TrainingCharts state={state} />
          <DetailsPanel state={state} />
        </div>
      </main>
    </div>
  );
}
