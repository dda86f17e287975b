import type { ModelExporter } from '../../core/export/exportedFile.ts';

/**
 * The formats **Download** offers for a saved model. Each writer is imported on first use, so
 * a format's libraries load only when someone downloads in it.
 */

export const MODEL_EXPORT_IDS = ['playground', 'tfjs', 'onnx', 'pytorch'] as const;
export type ModelExportId = (typeof MODEL_EXPORT_IDS)[number];

export interface ModelExportFormat {
  readonly id: ModelExportId;
  /** What the format picker shows. */
  readonly label: string;
  /** One sentence on who loads it, for the help tip. */
  readonly description: string;
  load(): Promise<ModelExporter>;
}

export const MODEL_EXPORT_FORMATS: readonly ModelExportFormat[] = [
  {
    id: 'playground',
    label: 'Model file (JSON, this playground)',
    description: 'One JSON file with the config and weights; Upload model file reads it back bit for bit.',
    load: () => import('../../core/export/playgroundExport.ts').then((m) => m.exportPlaygroundModel),
  },
  {
    id: 'tfjs',
    label: 'TensorFlow.js (model.json + weights)',
    description: 'Two files that tf.loadLayersModel loads; Upload model file reads them back too.',
    load: () => import('../../core/export/tfjsLayersExport.ts').then((m) => m.exportTfjsLayers),
  },
  {
    id: 'onnx',
    label: 'ONNX (.onnx)',
    description: 'One .onnx file for ONNX Runtime, Netron and every tool that reads ONNX.',
    load: () => import('../../core/export/onnxExport.ts').then((m) => m.exportOnnx),
  },
  {
    id: 'pytorch',
    label: 'PyTorch script (.py)',
    description: "A self-contained Python script that trains this model's config again in PyTorch.",
    load: () => import('../../core/export/pytorchScript.ts').then((m) => m.exportPytorchScriptForModel),
  },
];
