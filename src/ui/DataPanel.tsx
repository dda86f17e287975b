import type { TrainerSession } from '../client/TrainerSession.ts';
import type { TrainingConfig } from '../core/config.ts';
import { AugmentationPreview, PREVIEW_COUNT } from './AugmentationPreview.tsx';
import { DataFields } from './DataFields.tsx';
import { MixMyDigitsFields } from './MixMyDigitsFields.tsx';
import type { MixMyDigits } from './useMixMyDigits.ts';
import type { DraftForm } from './useConfigDraft.ts';

interface DataPanelProps {
  readonly form: DraftForm;
  readonly config: TrainingConfig | null;
  readonly ready: boolean;
  /** The training worker's `request` (previews are drawn there, from the training split). */
  readonly request: TrainerSession['request'];
  /** The "Mix My digits into training" option (page state, see `useMixMyDigits`). */
  readonly mixMyDigits: MixMyDigits;
}

export function DataPanel({ form, config, ready, request, mixMyDigits }: DataPanelProps) {
  return (
    <section className="panel" aria-labelledby="data-heading">
      <h2 id="data-heading">Data</h2>
      <DataFields form={form} />
      <MixMyDigitsFields mix={mixMyDigits} />
      <AugmentationPreview
        config={config}
        ready={ready}
        onRequest={(c) =>
          request({ type: 'preview-augmentation', config: c, count: PREVIEW_COUNT, seed: c.seed })
        }
      />
    </section>
  );
}
