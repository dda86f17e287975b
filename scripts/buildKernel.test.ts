import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileKernel, kernelModuleText } from './buildKernel.ts';

describe('the embedded fused kernel', () => {
  it('is what kernels/mlp.ts compiles to (run `npm run build:kernel` after editing the kernel)', async () => {
    const expected = kernelModuleText(await compileKernel(false), await compileKernel(true));
    const embedded = readFileSync(new URL('../src/ml/fused/kernelBinary.ts', import.meta.url), 'utf8');
    expect(embedded === expected).toBe(true);
  });
});
