import { cloneElement, useEffect, useId, useRef, useState, type ReactElement, type ReactNode } from 'react';
import './helpTip.css';

/** Widest a tip gets (CSS `max-width` in helpTip.css), to decide which side it opens towards. */
const TIP_MAX_PX = 288;

type Described = ReactElement<{ 'aria-describedby'?: string | undefined }>;

interface HelpTipProps {
  /** One short sentence: what the control does. */
  readonly text: string;
  /**
   * The control. An element gets `aria-describedby` pointing at the tip; a function gets the
   * tip's id to put where it belongs (e.g. on a visually hidden input behind a label).
   */
  readonly children: Described | ((describedBy: string) => ReactNode);
  /** Extra class on the wrapper, e.g. to position it where the bare control was. */
  readonly className?: string;
}

/**
 * A short explanation of a button or picker, shown on hover (CSS `:hover`, so it also shows over
 * a disabled button) and on keyboard focus (`:focus-visible`), and read by screen
 * readers as the control's description. As WCAG 1.4.13 asks, Escape hides it, the pointer can
 * move onto it, and it stays until the pointer or focus leaves. It opens towards the side with
 * room, so it never widens the page.
 */
export function HelpTip({ text, children, className }: HelpTipProps) {
  const id = useId();
  const anchor = useRef<HTMLSpanElement>(null);
  const [align, setAlign] = useState<'start' | 'end'>('start');
  const [dismissed, setDismissed] = useState(false);
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);

  // While hovered, Escape hides the tip wherever the keyboard focus is.
  useEffect(() => {
    if (!hovered) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setDismissed(true);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [hovered]);

  const place = () => {
    const box = anchor.current?.getBoundingClientRect();
    if (!box) return;
    const room = document.documentElement.clientWidth - 8;
    setAlign(box.left + TIP_MAX_PX > room && box.right - TIP_MAX_PX >= 0 ? 'end' : 'start');
  };

  let control: ReactNode;
  if (typeof children === 'function') control = children(id);
  else {
    const own = children.props['aria-describedby'];
    control = cloneElement(children, { 'aria-describedby': own ? `${own} ${id}` : id });
  }

  return (
    <span
      ref={anchor}
      className={className ? `help-anchor ${className}` : 'help-anchor'}
      data-align={align}
      data-dismissed={dismissed ? '' : undefined}
      data-focus={focused ? '' : undefined}
      onPointerEnter={() => {
        place();
        setHovered(true);
      }}
      onPointerLeave={() => {
        setHovered(false);
        setDismissed(false);
      }}
      onFocus={(event) => {
        place();
        setDismissed(false);
        setFocused(event.target.matches(':focus-visible'));
      }}
      onBlur={() => setFocused(false)}
      onKeyDown={(event) => {
        if (event.key === 'Escape') setDismissed(true);
      }}
    >
      {control}
      <span role="tooltip" id={id} className="help-tip">
        {text}
      </span>
    </span>
  );
}
