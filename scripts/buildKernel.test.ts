import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildKernelFiles } from './buildKernel.ts';

describe('the generated kernel files', () => {
  it('are what kernels/mlp.ts builds to: binary and bindings (run `npm run build:kernel` after editing the kernel)', async () => {
    const files = await buildKernelFiles();
    expect(Object.keys(files)).toEqual(['src/ml/fused/kernelBinary.ts', 'src/core/kernelBindings.ts']);
    for (const [file, expected] of Object.entries(files)) {
      const current = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
      expect(current === expected, `${file} is stale`).toBe(true);
    }
  });
});
