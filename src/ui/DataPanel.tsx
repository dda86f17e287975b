import type { AugmentationPreview as Preview } from '../client/runState.ts';
import type { TrainingConfig } from '../core/config.ts';
import { AugmentationPreview, PREVIEW_COUNT } from './AugmentationPreview.tsx';
import { DataFields } from './DataFields.tsx';
import type { DraftForm } from './useConfigDraft.ts';

interface DataPanelProps {
  readonly form: DraftForm;
  readonly config: TrainingConfig | null;
  readonly preview: Preview | null;
  readonly ready: boolean;
  readonly onPreview: (config: TrainingConfig, count: number, seed: number) => void;
}

export function DataPanel({ form, config, preview, ready, onPreview }: DataPanelProps) {
  return (
    <section className="panel" aria-labelledby="data-heading">
      <h2 id="data-heading">Data</h2>
      <DataFields form={form} />
      <AugmentationPreview
        config={config}
        preview={preview}
        ready={ready}
        onRequest={(c) => onPreview(c, PREVIEW_COUNT, c.seed)}
      />
    </section>
  );
}
