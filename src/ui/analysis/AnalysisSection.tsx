import { memo, useCallback, useState } from 'react';
import type { TestImages } from '../../client/runState.ts';
import type { AugmentationPreview, TrainerSession } from '../../client/TrainerSession.ts';
import type { TrainingConfig } from '../../core/config.ts';
import type { LayerStepSeries } from '../../core/layerStepNorms.ts';
import type { EpochAnalysis } from '../../worker/protocol.ts';
import { TabList, type Tab } from '../TabList.tsx';
import { useNewestAnswer } from '../useNewestAnswer.ts';
import { ConfusionView } from './ConfusionView.tsx';
import { DatasetView } from './DatasetView.tsx';
import { LayersView } from './LayersView.tsx';
import { MisclassifiedView } from './MisclassifiedView.tsx';
import { PcaView } from './PcaView.tsx';
import { PredictionsView } from './PredictionsView.tsx';
import { WeightsView } from './WeightsView.tsx';
import './analysis.css';

const VIEWS = [
  { id: 'dataset', name: 'Dataset' },
  { id: 'predictions', name: 'Predictions' },
  { id: 'misclassified', name: 'Misclassified' },
  { id: 'confusion', name: 'Confusion matrix' },
  { id: 'pca', name: 'PCA' },
  { id: 'weights', name: 'Weights' },
  { id: 'layers', name: 'Layers' },
] as const;

type ViewId = (typeof VIEWS)[number]['id'];

const TABS: readonly Tab<ViewId>[] = VIEWS.map((v) => ({
  value: v.id,
  label: v.name,
  tabId: `tab-${v.id}`,
  panelId: `view-${v.id}`,
}));

interface AnalysisSectionProps {
  readonly analyses: readonly EpochAnalysis[];
  readonly test: TestImages | null;
  readonly config: TrainingConfig | null;
  readonly dataReady: boolean;
  /** The training worker's `request` (the dataset view's previews are drawn there). */
  readonly request: TrainerSession['request'];
  /** The run's sampled per-step layer norms (changes with every report; only the Layers view reads it). */
  readonly layerSteps: LayerStepSeries | null;
}

interface ViewBodyProps extends AnalysisSectionProps {
  readonly view: ViewId;
  readonly datasetPreview: AugmentationPreview | null;
  readonly onPreviewDataset: (config: TrainingConfig, perClass: number, seed: number) => void;
}

/**
 * "What the network learned": seven views of the data and of the model after each epoch, one at a
 * time behind a tab list (arrow keys move between tabs). Memoised on its props, which change a
 * few times a run (per epoch), not with every batch.
 */
export const AnalysisSection = memo(function AnalysisSection(props: AnalysisSectionProps) {
  const [view, setView] = useState<ViewId>('dataset');
  // Held here, not in the dataset view: it outlives switches between the tabs.
  const [datasetPreview, track] = useNewestAnswer<AugmentationPreview>();
  const { request } = props;
  const previewDataset = useCallback(
    (config: TrainingConfig, perClass: number, seed: number) =>
      track(request({ type: 'preview-augmentation', config, count: perClass * 10, seed, perClass })),
    [request, track],
  );

  return (
    <section className="panel analysis" aria-labelledby="analysis-heading">
      <h2 id="analysis-heading">What the network learned</h2>
      <TabList className="tabs" label="Analysis views" tabs={TABS} selected={view} onSelect={setView} />
      <div className="tab-panel" role="tabpanel" id={`view-${view}`} aria-labelledby={`tab-${view}`}>
        <ViewBody
          view={view}
          datasetPreview={datasetPreview?.answer ?? null}
          onPreviewDataset={previewDataset}
          {...props}
          // Only the Layers view follows every report; the others keep their props (and skip rendering).
          layerSteps={view === 'layers' ? props.layerSteps : null}
        />
      </div>
    </section>
  );
});

const ViewBody = memo(function ViewBody({ view, ...props }: ViewBodyProps) {
  if (view === 'dataset') {
    return (
      <DatasetView
        preview={props.datasetPreview}
        config={props.config}
        ready={props.dataReady}
        onRequest={props.onPreviewDataset}
      />
    );
  }
  // Its per-step charts fill in from the first steps, before any epoch's analysis.
  if (view === 'layers') return <LayersView analyses={props.analyses} layerSteps={props.layerSteps} />;
  const analysis = props.analyses[props.analyses.length - 1];
  if (props.test === null) return <p className="muted">Loading the test images…</p>;
  if (analysis === undefined) {
    return <p className="muted">Train for an epoch: this view fills in after each epoch.</p>;
  }
  switch (view) {
    case 'predictions':
      return <PredictionsView analysis={analysis} test={props.test} />;
    case 'misclassified':
      return <MisclassifiedView analysis={analysis} test={props.test} />;
    case 'confusion':
      return <ConfusionView analyses={props.analyses} test={props.test} />;
    case 'pca':
      return <PcaView analysis={analysis} test={props.test} />;
    case 'weights':
      return <WeightsView analysis={analysis} />;
    default: {
      const unknown: never = view;
      return unknown;
    }
  }
});
