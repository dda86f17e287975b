import { expect, type Page } from '@playwright/test';

/** Page object for the playground: every locator is the visible label a person reads. */
export class Playground {
  readonly consoleErrors: string[] = [];

  constructor(readonly page: Page) {
    page.on('console', (message) => {
      if (message.type() === 'error') this.consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => this.consoleErrors.push(error.message));
  }

  async open(query = ''): Promise<void> {
    await this.page.goto(`/${query}`);
    await expect(this.status).toHaveText('Ready — press Train');
  }

  get status() {
    return this.page.getByRole('status');
  }

  button(name: 'Train' | 'Pause' | 'Resume' | 'Stop' | 'Reset' | 'Step' | 'Step epoch' | (string & {})) {
    return this.page.getByRole('button', { name, exact: true });
  }

  /** The form control labelled `label` (not a panel or chart of the same name). */
  field(label: string) {
    return this.page.getByLabel(label, { exact: true }).and(this.page.locator('input, select, textarea'));
  }

  /** The fieldset of hidden layer `n` (1-based); its fields are labelled Units, Activation, … */
  layer(n: number) {
    return this.page.getByRole('group', { name: `Layer ${n}`, exact: true });
  }

  /** Picks an option of a select by its visible text. */
  async choose(label: string, option: string): Promise<void> {
    await this.field(label).selectOption({ label: option });
  }

  async configure(values: Record<string, string>): Promise<void> {
    for (const [label, value] of Object.entries(values)) await this.field(label).fill(value);
  }

  /** Number of points drawn in a chart's first line, as the canvas chart reports it after each draw. */
  async pointsInChart(title: 'Loss' | 'Accuracy'): Promise<number> {
    const canvas = this.page.getByRole('figure', { name: title }).locator('canvas[data-points]');
    return Number((await canvas.getAttribute('data-points')) ?? 0);
  }

  async testAccuracy(): Promise<number> {
    const text = (await this.page.getByTestId('test-accuracy').textContent()) ?? '';
    const match = /Test accuracy \(final weights\): ([\d.]+)%/.exec(text);
    expect(match, `"${text}" shows a test accuracy`).not.toBeNull();
    return Number(match?.[1]);
  }

  /** A tab of the "What the network learned" section. */
  analysisTab(
    name: 'Dataset' | 'Predictions' | 'Misclassified' | 'Confusion matrix' | 'PCA' | 'Weights' | 'Layers',
  ) {
    return this.page.getByRole('tab', { name, exact: true });
  }

  /** The 100 count cells of the confusion matrix, each with `data-true`, `data-predicted`, `data-count`. */
  get confusionCells() {
    return this.page.locator('table.confusion td.confusion-cell');
  }

  /** (true, predicted, count) of every confusion-matrix cell, row-major. */
  async confusionCounts(): Promise<{ trueClass: number; predicted: number; count: number }[]> {
    return this.confusionCells.evaluateAll((cells) =>
      cells.map((cell) => ({
        trueClass: Number(cell.getAttribute('data-true')),
        predicted: Number(cell.getAttribute('data-predicted')),
        count: Number(cell.getAttribute('data-count')),
      })),
    );
  }

  /** The "Draw a digit" pad (a canvas labelled "Drawing pad"). */
  get drawPad() {
    return this.page.getByRole('img', { name: 'Drawing pad', exact: true });
  }

  /** The figure holding the 28×28 model input; `data-ink-pixels` counts its non-zero pixels. */
  get modelInput() {
    return this.page.getByTestId('model-input');
  }

  /**
   * Draws one stroke with the mouse through `points`, given as fractions (0–1) of the pad's
   * width and height, with intermediate moves so the pad sees a smooth stroke.
   */
  async drawStroke(points: readonly (readonly [number, number])[]): Promise<void> {
    await this.drawPad.scrollIntoViewIfNeeded();
    const box = await this.drawPad.boundingBox();
    expect(box, 'the drawing pad is on screen').not.toBeNull();
    const { x, y, width, height } = box as { x: number; y: number; width: number; height: number };
    const at = ([u, v]: readonly [number, number]) => [x + u * width, y + v * height] as const;
    const [first, ...rest] = points;
    if (!first) return;
    await this.page.mouse.move(...at(first));
    await this.page.mouse.down();
    for (const point of rest) await this.page.mouse.move(...at(point), { steps: 4 });
    await this.page.mouse.up();
  }
}
