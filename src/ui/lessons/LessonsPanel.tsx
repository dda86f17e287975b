import type { Lesson } from '../../core/lessons.ts';
import { LESSONS } from '../../core/lessons.ts';
import { HelpTip } from '../HelpTip.tsx';
import './lessons.css';

interface LessonsPanelProps {
  /** The lesson set up last, shown with its explanation; null for none. */
  readonly active: Lesson | null;
  readonly disabled: boolean;
  /** Presenter mode: with a lesson open, the list folds away so the charts fit on the screen. */
  readonly compact?: boolean;
  readonly onStart: (lesson: Lesson) => void;
  readonly onClose: () => void;
}

/**
 * One click per concept: sets up the config (or the comparison) that shows it, and says in plain
 * words what the concept is and what to watch on the charts. Each lesson has its own link
 * (`?lesson=<id>`), for students to open on their own laptops.
 */
export function LessonsPanel({ active, disabled, compact = false, onStart, onClose }: LessonsPanelProps) {
  const list = (
    <ul className="lesson-list">
      {LESSONS.map((lesson) => (
        <li key={lesson.id}>
          <HelpTip text={`Set up this lesson: ${lesson.concept.split('. ')[0]?.replace(/\.$/, '') ?? ''}.`}>
            <button
              type="button"
              aria-pressed={active?.id === lesson.id}
              disabled={disabled}
              onClick={() => onStart(lesson)}
            >
              {lesson.title}
            </button>
          </HelpTip>
        </li>
      ))}
    </ul>
  );
  return (
    <section className="panel lessons" aria-labelledby="lessons-heading">
      <h2 id="lessons-heading">Lessons</h2>
      {compact && active ? (
        <details className="lesson-more">
          <summary>All lessons</summary>
          {list}
        </details>
      ) : (
        list
      )}
      {active ? (
        <article className="lesson-card" aria-labelledby="lesson-title" data-testid="lesson-card">
          <h3 id="lesson-title">{active.title}</h3>
          <p>{active.concept}</p>
          <p>
            <strong>Watch for: </strong>
            {active.watch}
          </p>
          <p className="lesson-next">
            {active.variants
              ? 'The comparison is set up: press Run comparison.'
              : active.stepDelayMs > 0
                ? 'The config is set up and slowed down: press Train.'
                : 'The config is set up: press Train.'}{' '}
            <a href={`?lesson=${active.id}`}>Link to this lesson</a>
          </p>
          <button
            type="button"
            className="link-button lesson-close"
            onClick={onClose}
            aria-label="Close the lesson"
          >
            ×
          </button>
        </article>
      ) : null}
    </section>
  );
}
