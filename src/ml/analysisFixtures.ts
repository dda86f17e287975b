import type { EpochAnalysis } from '../core/analysisTypes.ts';
import type { LabelledImages } from '../core/idx.ts';
import type { NormalizationStats } from '../core/normalization.ts';
import { analyseEpoch, createAnalysisState } from './analysis.ts';
import { allIndices, disposeSplit, toTensorSplit } from './dataset.ts';
import type { Mlp } from './mlp.ts';

/**
 * Test support: the per-epoch analysis as the training thread computed it before it moved to
 * its own worker, `analyseEpoch` on the models themselves, one per epoch in order (so the PCA
 * signs carry over as in a run). What every other way of computing the views must equal.
 */
export async function referenceAnalyses(
  images: LabelledImages,
  normalization: NormalizationStats,
  models: readonly Mlp[],
): Promise<EpochAnalysis[]> {
  const split = toTensorSplit(images, allIndices(images.count), normalization);
  const state = createAnalysisState();
  const analyses: EpochAnalysis[] = [];
  try {
    for (const [i, model] of models.entries()) {
      const common = { test: split, labels: images.labels, state, now: () => 0 };
      analyses.push(await analyseEpoch({ ...common, epoch: i + 1, model }));
    }
  } finally {
    disposeSplit(split);
  }
  return analyses;
}
