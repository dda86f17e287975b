import type { StoredModelInfo } from '../../client/modelStore.ts';
import { architectureOf } from '../../core/configSummary.ts';
import { formatAccuracy, formatFinishedAt } from '../compare/historyFormat.ts';
import { ConfirmDelete } from '../ConfirmDelete.tsx';
import { HelpTip } from '../HelpTip.tsx';

interface SavedModelRowProps {
  readonly model: StoredModelInfo;
  /** Loading is off while a run is in progress (its weights are what the worker uses). */
  readonly canLoad: boolean;
  onLoad(model: StoredModelInfo): void;
  onDownload(model: StoredModelInfo): void;
  /** Resolves true once deleted; false leaves the row (the panel says why). */
  onDelete(model: StoredModelInfo): Promise<boolean>;
}

/** One saved model: what it is and how it did, then Load, Download and Delete. */
export function SavedModelRow({ model, canLoad, onLoad, onDownload, onDelete }: SavedModelRowProps) {
  const { date, time } = formatFinishedAt(model.savedAt);
  return (
    <tr data-testid="saved-model" data-name={model.name}>
      <th scope="row" className="model-name">
        {model.name}
      </th>
      <td>{architectureOf(model.config)}</td>
      <td className="model-number" data-accuracy={model.testAccuracy ?? ''}>
        {formatAccuracy(model.testAccuracy)}
      </td>
      <td>
        <time dateTime={new Date(model.savedAt).toISOString()}>
          {date} {time}
        </time>
      </td>
      <td className="model-actions">
        <HelpTip text="Put its config in the form, evaluate it on the test images, and draw with it.">
          <button
            type="button"
            aria-label={`Load ${model.name}`}
            disabled={!canLoad}
            onClick={() => onLoad(model)}
          >
            Load
          </button>
        </HelpTip>
        <HelpTip text="Download it in the format picked under Download as, to keep, share or use elsewhere.">
          <button type="button" aria-label={`Download ${model.name}`} onClick={() => onDownload(model)}>
            Download
          </button>
        </HelpTip>
        <ConfirmDelete
          name={model.name}
          noun="model"
          askTip="Delete this saved model (asks first)."
          as="span"
          groupClassName="model-confirm"
          onDelete={() => onDelete(model)}
        />
      </td>
    </tr>
  );
}
