// AssemblyScript entry of the fused MLP training kernel, compiled by `npm run build:kernel` into
// four builds — WebAssembly SIMD, and SIMD + relaxed SIMD (fused multiply-add in the matrix
// products), each with its own memory or importing a shared one for threads — embedded in
// src/ml/fused/kernelBinary.ts.
//
// Everything works on raw linear memory the TypeScript side lays out (src/core/fusedLayout.ts):
// row-major f32 matrices whose rows are `ld` floats apart, with every layer width padded to a
// multiple of 8 (padding columns hold zeros), so the SIMD loops need no edge cases in the column
// direction. Pointers are byte offsets; sizes are in elements. Threads run the same functions on
// disjoint ranges of one shared memory (a range is given by offsetting the pointers); each output
// element is computed by one thread in one fixed order, so results do not depend on the split.
//
// The parts: products.ts (GEMM, transpose), layers.ts (activations, dropout, bias gradients,
// batch gather), losses.ts, optimizers.ts, batchNorm.ts (training-mode batch norm over columns),
// sparseInput.ts (the first layer on the input's nonzero pixels).

export { gemm, transpose } from './products';
export {
  biasActivate,
  activationBackward,
  multiply,
  columnSums,
  gatherRows,
  normalizeBytes,
  dropoutMask,
} from './layers';
export { lastCorrect, lossAndGradient, batchLoss } from './losses';
export { penaltyGradient, scaleInPlace, sgd, momentum, adam, rmsprop, adagrad } from './optimizers';
export { batchNormForward, batchNormBackward } from './batchNorm';
export { listNonzeroInputs, sparseInputProduct, sparseInputWeightGradient } from './sparseInput';

/** Where the TypeScript side may start laying out its buffers (after this module's statics). */
export function heapBase(): usize {
  return __heap_base;
}
