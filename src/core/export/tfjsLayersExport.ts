import type { ModelExporter } from './exportedFile.ts';

/** Placeholder while issue 17's helper writes this format; replaced before the issue closes. */
export const exportTfjsLayers: ModelExporter = () =>
  Promise.reject(new Error('This export format is being built.'));
