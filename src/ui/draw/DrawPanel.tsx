import { useCallback, useId, useRef, useState } from 'react';
import type { Phase, TestImages } from '../../client/runState.ts';
import type { TrainerSession } from '../../client/TrainerSession.ts';
import {
  digitInput,
  placeDigit,
  type InkRaster,
  type Placement,
  type PreprocessMode,
} from '../../core/digitPreprocess.ts';
import { DigitCanvas } from '../DigitCanvas.tsx';
import { HelpTip } from '../HelpTip.tsx';
import { AddToMyDigits } from './AddToMyDigits.tsx';
import { DrawPad } from './DrawPad.tsx';
import { MyDigitsPanel } from './MyDigitsPanel.tsx';
import { NeuronInspector } from './NeuronInspector.tsx';
import { PadSaliencyOverlay } from './PadSaliencyOverlay.tsx';
import { PredictionReadout } from './PredictionReadout.tsx';
import { SaliencyOverlay } from './SaliencyOverlay.tsx';
import { TestImagePicker } from './TestImagePicker.tsx';
import type { Stroke } from './strokes.ts';
import { useMyDigits } from './useMyDigits.ts';
import { useMyDigitsScore } from './useMyDigitsScore.ts';
import { usePadPrediction } from './usePadPrediction.ts';
import './draw.css';

const EMPTY = new Uint8Array(784);

interface DrawPanelProps {
  /** The training worker's `request`: predictions use its latest weights. */
  readonly request: TrainerSession['request'];
  readonly phase: Phase;
  readonly epoch: number;
  readonly test: TestImages | null;
  /** Changes when the worker's model changes outside a run (a model loaded): ask again. */
  readonly modelRevision?: number;
}

/**
 * "Draw a digit": a pad, the 28×28 input it becomes (MNIST-style preprocessing or a naive
 * resize, to compare), and the model's live prediction. Keyboard users pick a test image instead.
 * A labelled drawing can join "My digits", a test set of one's own the model is scored on.
 */
export function DrawPanel({ request, phase, epoch, test, modelRevision = 0 }: DrawPanelProps) {
  const hintId = useId();
  const [strokes, setStrokes] = useState<readonly Stroke[]>([]);
  const [brush, setBrush] = useState(22);
  const [mode, setMode] = useState<PreprocessMode>('mnist');
  const [picked, setPicked] = useState<number | null>(null);
  const [showSaliency, setShowSaliency] = useState(true);
  const pad = usePadPrediction(request, phase, epoch, modelRevision);
  const { submit, throttle } = pad;
  const lastRead = useRef<(() => InkRaster) | null>(null);
  const strokeEndAt = useRef<number | undefined>(undefined);
  const pickedRef = useRef<number | null>(null);
  const myDigits = useMyDigits();
  const myScore = useMyDigitsScore(request, myDigits.digits, phase, modelRevision);
  // Where each drawn input's ink came from on the pad, so its saliency can be drawn back there.
  const [placements] = useState(() => new WeakMap<Uint8Array, Placement>());
  const inputOf = useCallback(
    (raster: InkRaster, as: PreprocessMode) => {
      const placed = placeDigit(raster, as);
      if (placed) placements.set(placed.pixels, placed.placement);
      return placed?.pixels ?? null;
    },
    [placements],
  );

  const onDrawing = useCallback(
    (read: () => InkRaster) => throttle(() => inputOf(read(), mode)),
    [throttle, mode, inputOf],
  );
  const onRedrawn = useCallback(
    (read: () => InkRaster) => {
      lastRead.current = read;
      if (pickedRef.current !== null) return; // Showing a test image: the empty pad does not count.
      submit(inputOf(read(), mode), strokeEndAt.current);
      strokeEndAt.current = undefined;
    },
    [submit, mode, inputOf],
  );
  const startStroke = () => {
    if (pickedRef.current === null) return;
    pickedRef.current = null;
    setPicked(null);
  };
  const endStroke = (stroke: Stroke, at: number) => {
    strokeEndAt.current = at;
    setStrokes((previous) => [...previous, stroke]);
  };
  const changeMode = (next: PreprocessMode) => {
    setMode(next);
    const read = lastRead.current;
    if (read && pickedRef.current === null) submit(inputOf(read(), next));
  };
  const pick = (index: number) => {
    if (!test) return;
    pickedRef.current = index;
    setPicked(index);
    setStrokes([]);
    submit(test.images.slice(index * 784, (index + 1) * 784));
  };
  const clear = () => {
    pickedRef.current = null;
    setPicked(null);
    setStrokes([]);
    submit(null);
  };

  // Always the MNIST-style input, whichever preview is chosen: My digits are a test set like MNIST's.
  const addDrawing = async (label: number) => {
    const read = lastRead.current;
    const pixels = read && pickedRef.current === null ? digitInput(read(), 'mnist') : null;
    if (pixels === null) return { ok: false as const, error: 'Draw a digit on the pad first.' };
    const outcome = await myDigits.add(label, pixels);
    if (outcome.ok) clear();
    return outcome;
  };

  const input = pad.input;
  const inkPixels = input ? input.reduce((n, v) => n + (v > 0 ? 1 : 0), 0) : 0;
  const saliency = pad.prediction?.saliency ?? null;
  const probabilities = [...(pad.prediction?.probabilities ?? [])];
  const topDigit = probabilities.indexOf(Math.max(...probabilities));
  const padPlacement = input && picked === null ? placements.get(input) : undefined;
  return (
    <section className="panel draw-panel" aria-labelledby={`${hintId}-title`}>
      <h2 id={`${hintId}-title`}>Draw a digit</h2>
      <div className="draw-layout">
        <div className="draw-pad-column">
          <DrawPad
            strokes={strokes}
            brush={brush}
            onStrokeStart={startStroke}
            onDrawing={onDrawing}
            onStrokeEnd={endStroke}
            onRedrawn={onRedrawn}
            describedBy={hintId}
            overlay={
              showSaliency && saliency && padPlacement ? (
                <PadSaliencyOverlay saliency={saliency} placement={padPlacement} />
              ) : null
            }
          />
          <div className="draw-tools">
            <HelpTip text="Take back the last stroke.">
              <button
                type="button"
                onClick={() => setStrokes((s) => s.slice(0, -1))}
                disabled={!strokes.length}
              >
                Undo
              </button>
            </HelpTip>
            <HelpTip text="Wipe the pad.">
              <button type="button" onClick={clear} disabled={!strokes.length && picked === null}>
                Clear
              </button>
            </HelpTip>
            <HelpTip text="Pen thickness, in pad pixels.">
              {(describedBy) => (
                <label>
                  Brush{' '}
                  <input
                    type="range"
                    min={8}
                    max={40}
                    value={brush}
                    aria-describedby={describedBy}
                    onChange={(e) => setBrush(+e.target.value)}
                  />
                </label>
              )}
            </HelpTip>
          </div>
          <AddToMyDigits hasDrawing={strokes.length > 0 && picked === null} onAdd={addDrawing} />
          <p id={hintId} className="muted small">
            Drawing needs a pointer (mouse, touch or pen). With the keyboard, pick a test image instead:
          </p>
          <TestImagePicker test={test} picked={picked} onPick={pick} />
        </div>
        <div className="draw-result-column">
          <fieldset className="draw-mode">
            <legend>Input to the model</legend>
            <label>
              <input type="radio" checked={mode === 'mnist'} onChange={() => changeMode('mnist')} /> MNIST
              preprocessing (fit to 20×20, centre of mass at the centre)
            </label>
            <label>
              <input type="radio" checked={mode === 'naive'} onChange={() => changeMode('naive')} /> Naive
              resize (whole pad to 28×28)
            </label>
          </fieldset>
          <figure className="draw-preview" data-testid="model-input" data-ink-pixels={inkPixels}>
            <div className="saliency-frame">
              <DigitCanvas pixels={input ?? EMPTY} label="The 28×28 input sent to the model" scale={5} />
              {showSaliency && saliency && <SaliencyOverlay saliency={saliency} digit={topDigit} />}
            </div>
            <figcaption className="muted small">
              The 28×28 input sent to the model
              {showSaliency && saliency && `; red: more ink here raises the ${topDigit}, blue: lowers it`}
            </figcaption>
          </figure>
          <HelpTip text="Colour the model input, and the drawing on the pad, by the gradient of the top prediction: red pixels push it up, blue down.">
            {(describedBy) => (
              <label className="small">
                <input
                  type="checkbox"
                  checked={showSaliency}
                  aria-describedby={describedBy}
                  onChange={(e) => setShowSaliency(e.target.checked)}
                />{' '}
                Saliency overlay
              </label>
            )}
          </HelpTip>
          <PredictionReadout
            hasInput={input !== null}
            prediction={pad.prediction}
            latencyRef={pad.latencyRef}
          />
          <NeuronInspector
            activations={pad.prediction?.activations ?? null}
            input={input}
            request={request}
            phase={phase}
            epoch={epoch}
            onPickTestImage={pick}
          />
        </div>
      </div>
      <MyDigitsPanel store={myDigits} evaluation={myScore} />
    </section>
  );
}
