import { describe, expect, it } from 'vitest';
import { declaredFunctions, functionDocs, kernelBindingsText, kernelCodes } from './kernelBindings.ts';

const SOURCE = `
const ACTIVATION_RELU = 0;
const ACTIVATION_LEAKY_RELU = 1;
const LOSS_CROSS_ENTROPY = 0;

/** Scales \`count\` floats. */
export function scale(w: usize, count: i32, factor: f32): void {}

export function hits(): i32 { return 0; }
`;

const DECLARATIONS = `declare namespace __AdaptedExports {
  /** Exported memory */
  export const memory: WebAssembly.Memory;
  /**
   * kernels/mlp/scale
   * @param w \`usize\`
   * @param count \`i32\`
   * @param factor \`f32\`
   */
  export function scale(w: number, count: number, factor: number): void;
  /**
   * kernels/mlp/hits
   * @returns \`i32\`
   */
  export function hits(): number;
}`;

describe('kernel bindings generation', () => {
  it('reads the codes, keyed by the config name', () => {
    expect(kernelCodes(SOURCE, 'ACTIVATION')).toEqual([
      ['relu', 0],
      ['leakyRelu', 1],
    ]);
    expect(kernelCodes(SOURCE, 'LOSS')).toEqual([['crossEntropy', 0]]);
    expect(() => kernelCodes(`${SOURCE}const LOSS_MSE = 0;\n`, 'LOSS')).toThrow(/same code/);
    expect(() => kernelCodes(SOURCE, 'OPTIMIZER')).toThrow(/no OPTIMIZER_/);
  });

  it("types each export from the compiler's declarations, with the source's doc", () => {
    expect(declaredFunctions(DECLARATIONS)).toEqual([
      {
        name: 'scale',
        parameters: [
          { name: 'w', type: 'usize' },
          { name: 'count', type: 'i32' },
          { name: 'factor', type: 'f32' },
        ],
        returns: 'void',
      },
      { name: 'hits', parameters: [], returns: 'i32' },
    ]);
    expect(functionDocs(SOURCE)).toEqual(new Map([['scale', '/** Scales `count` floats. */']]));
    const text = kernelBindingsText(SOURCE, DECLARATIONS, 1536);
    expect(text).toContain(
      '  /** Scales `count` floats. */\n  scale(w: Pointer, count: Int32, factor: Float32): void;\n  hits(): Int32;\n}',
    );
    expect(text).toContain('export const KERNEL_HEAP_BASE = 1536;');
  });

  it('refuses a type it cannot map rather than guess', () => {
    const withI64 = DECLARATIONS.replace('@param count `i32`', '@param count `i64`');
    expect(() => kernelBindingsText(SOURCE, withI64, 1536)).toThrow(/i64/);
  });
});
