import type { ReactNode } from 'react';
import {
  GRADIENT_DESCENT,
  OPTIMIZERS,
  SCHEDULES,
  type GradientDescent,
  type OptimizerKind,
  type ScheduleKind,
} from '../core/config.ts';
import { CheckboxField, NumberField, SelectField } from './fields.tsx';
import { optionsOf } from '../core/displayNames.ts';
import { bind, type DraftForm } from './useConfigDraft.ts';

const OPTIMIZER_OPTIONS = optionsOf(OPTIMIZERS);
const SCHEDULE_OPTIONS = optionsOf(SCHEDULES);
const DESCENT_OPTIONS = optionsOf(GRADIENT_DESCENT);

/**
 * The optimizer, its learning rate (with `finder`, the "Find learning rate" tool, under it), and
 * only the hyperparameters that optimizer uses.
 */
function OptimizerFields({ form, finder }: { readonly form: DraftForm; readonly finder?: ReactNode }) {
  const kind = form.draft.optimizer.kind;
  const text = (path: string) => bind<string>(form, `optimizer.${path}`);
  const adam = kind === 'adam' || kind === 'adamw';
  return (
    <>
      <SelectField
        label="Optimizer"
        help="How each step turns gradients into weight changes."
        options={OPTIMIZER_OPTIONS}
        {...bind<OptimizerKind>(form, 'optimizer.kind')}
      />
      <NumberField label="Learning rate" help="Step size, above 0." step="0.0001" {...text('learningRate')} />
      {finder}
      {kind === 'momentum' ? (
        <>
          <NumberField
            label="Momentum"
            help="Share of the last step kept, 0–0.999."
            step="0.01"
            {...text('momentum')}
          />
          <CheckboxField
            label="Nesterov"
            advanced
            help="Look ahead along the momentum."
            {...bind<boolean>(form, 'optimizer.nesterov')}
          />
        </>
      ) : null}
      {adam ? (
        <>
          <NumberField
            label="β1"
            advanced
            help="Decay of the gradient average."
            step="0.01"
            {...text('beta1')}
          />
          <NumberField
            label="β2"
            advanced
            help="Decay of the squared-gradient average."
            step="0.001"
            {...text('beta2')}
          />
        </>
      ) : null}
      {kind === 'rmsprop' ? (
        <NumberField
          label="ρ"
          advanced
          help="Decay of the squared-gradient average."
          step="0.01"
          {...text('rho')}
        />
      ) : null}
      {adam || kind === 'rmsprop' || kind === 'adagrad' ? (
        <NumberField
          label="ε"
          advanced
          help={kind === 'adagrad' ? 'Initial accumulator, above 0.' : 'Keeps the division stable, above 0.'}
          {...text('epsilon')}
        />
      ) : null}
      {kind === 'adamw' ? (
        <NumberField
          label="Weight decay"
          advanced
          help="Decoupled decay per step, times the learning rate."
          step="0.001"
          {...text('weightDecay')}
        />
      ) : null}
    </>
  );
}

/** Batching, epochs and the learning-rate schedule. */
function TrainingFields({ form }: { readonly form: DraftForm }) {
  const { training, schedule } = form.draft;
  return (
    <>
      <SelectField
        label="Gradient descent"
        help="Examples per step: one, a mini-batch, or all."
        options={DESCENT_OPTIONS}
        {...bind<GradientDescent>(form, 'training.gradientDescent')}
      />
      {training.gradientDescent === 'miniBatch' ? (
        <NumberField
          label="Batch size"
          help="Examples per step."
          step="1"
          {...bind<string>(form, 'training.batchSize')}
        />
      ) : null}
      <NumberField
        label="Epochs"
        help="Passes over the training examples."
        step="1"
        {...bind<string>(form, 'training.epochs')}
      />
      <SelectField
        label="Learning-rate schedule"
        help="How the learning rate changes over the epochs."
        options={SCHEDULE_OPTIONS}
        {...bind<ScheduleKind>(form, 'schedule.kind')}
      />
      {schedule.kind === 'step' ? (
        <>
          <NumberField
            label="Step every"
            advanced
            help="Epochs between decays."
            step="1"
            {...bind<string>(form, 'schedule.stepEpochs')}
          />
          <NumberField
            label="Decay factor"
            advanced
            help="Multiplies the rate at each step, 0–1."
            step="0.05"
            {...bind<string>(form, 'schedule.gamma')}
          />
        </>
      ) : null}
      {schedule.kind === 'cosine' ? (
        <NumberField
          label="Minimum learning rate"
          advanced
          help="Where the cosine ends, after the last epoch."
          step="0.0001"
          {...bind<string>(form, 'schedule.minLearningRate')}
        />
      ) : null}
    </>
  );
}

/** The Optimisation panel; `finder` is the learning-rate finder shown under the Learning rate field. */
export function OptimisationPanel({
  form,
  finder,
}: {
  readonly form: DraftForm;
  readonly finder?: ReactNode;
}) {
  return (
    <section className="panel" aria-labelledby="optimisation-heading">
      <h2 id="optimisation-heading">Optimisation</h2>
      <OptimizerFields form={form} finder={finder} />
      <TrainingFields form={form} />
    </section>
  );
}
