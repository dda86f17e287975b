import { describe, expect, it } from 'vitest';
import { parseBenchArgs, type BenchOptions } from './benchPlan.ts';
import {
  README_END,
  README_START,
  markdownReport,
  median,
  replaceBenchSection,
  summarise,
  type BenchResults,
} from './benchReport.ts';
import { WORKLOADS, workloadConfig } from '../src/bench/workloads.ts';
import { effectiveBatchSize, effectiveTrainingExamples } from '../src/core/config.ts';

function options(argv: string[]): BenchOptions {
  const parsed = parseBenchArgs(argv);
  if (parsed === 'help') throw new Error('unexpected help');
  return parsed;
}

describe('bench workloads', () => {
  it('train all 60,000 images for W1/W2 and 2,000 batch-1 steps for W3', () => {
    for (const id of ['W1', 'W2', 'W3'] as const) {
      const config = workloadConfig(id);
      expect(effectiveTrainingExamples(config)).toBe(WORKLOADS[id].examples);
      expect(effectiveBatchSize(config)).toBe(WORKLOADS[id].batchSize);
      expect(config.data.validationFraction).toBe(0);
      expect(config.training.epochs).toBe(1);
    }
    expect(effectiveTrainingExamples(workloadConfig('W1', 2560))).toBe(2560);
  });
});

describe('parseBenchArgs', () => {
  it('benches wasm with both engines, cpu fused only, GPUs with tfjs on W1 and W3 by default', () => {
    const { items } = options([]);
    const keys = items.map((i) => `${i.backend}/${i.engine}/${i.workload}`);
    expect(keys.filter((k) => k.startsWith('wasm/'))).toHaveLength(6);
    expect(keys.filter((k) => k.startsWith('cpu/'))).toEqual(['cpu/fused/W1', 'cpu/fused/W3']);
    expect(keys.filter((k) => k.startsWith('webgl/'))).toEqual(['webgl/tfjs/W1', 'webgl/tfjs/W3']);
    expect(items.find((i) => i.backend === 'webgpu')?.runs).toBe(1);
    expect(items.find((i) => i.backend === 'wasm')?.runs).toBe(3);
  });

  it('honours --backends, --workloads, --runs and --quick', () => {
    const { items, runs } = options(['--backends', 'wasm', '--workloads', 'W2', '--runs', '5']);
    expect(runs).toBe(5);
    expect(items.map((i) => `${i.engine}/${i.workload}`)).toEqual(['fused/W2', 'tfjs/W2']);
    const quick = options(['--quick', '--backends', 'wasm']);
    expect(quick.runs).toBe(1);
    expect(quick.items.map((i) => i.workload)).toEqual(['W1', 'W3', 'W1', 'W3']);
  });

  it('refuses unknown values with a message', () => {
    expect(() => options(['--backends', 'tpu'])).toThrow(/Unknown backend "tpu"/);
    expect(() => options(['--runs', '0'])).toThrow(/--runs must be a positive number/);
    expect(() => options(['--bogus'])).toThrow();
  });
});

describe('bench report', () => {
  it('takes medians and ratios to PyTorch', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(summarise([60_000, 30_000, 120_000], 120_000)).toEqual({
      medianExamplesPerSecond: 60_000,
      msPerEpoch: 1000,
      ratioToTorch: 0.5,
    });
  });

  it('renders one row per backend and engine, then PyTorch, and says what was skipped', () => {
    const results: BenchResults = {
      date: '2026-01-01T00:00:00.000Z',
      commit: 'abc1234',
      chromium: '140.0',
      node: 'v20',
      cpus: 2,
      runs: 3,
      rows: [
        {
          workload: 'W1',
          backend: 'wasm',
          engine: 'fused',
          enginePath: 'fused',
          engineReason: 'chosen',
          threads: 2,
          examplesPerSecond: [60_000],
          wallMs: [1000],
          trainMs: [990],
          medianExamplesPerSecond: 60_000,
          msPerEpoch: 1000,
          tensorsAlive: 0,
          capped: false,
          testAccuracy: 0.95,
          ratioToTorch: 0.5,
        },
      ],
      skipped: [{ backend: 'webgpu', engine: null, workload: null, reason: 'no adapter' }],
      fit: { skipped: '--no-fit' },
      torch: {
        torch: '2.0',
        threads: 1,
        workloads: { W1: { examplesPerSecond: 120_000, msPerEpoch: 500, runs: [] } },
      },
      dataLoad: { coldMs: 900, warmMs: 400 },
      timeTo98: { preset: 'fast', wallSeconds: 12.34, testAccuracy: 97.9, reached98: false, backend: 'wasm' },
    };
    const report = markdownReport(results);
    expect(report).toContain('| wasm · fused (2 threads) | 60,000 | 1,000 | 0 | 0.50× |');
    expect(report).toContain('| PyTorch 2.0 CPU (1 thread) | 120,000 | 500 | – | 1.00× |');
    expect(report).toContain('webgpu: skipped, no adapter');
    expect(report).toContain('**12.3 s**');
    expect(report).toContain('below 98%');
  });

  it('replaces only the text between the README markers', () => {
    const readme = `# A\n\n${README_START}\nold\n${README_END}\n\n## B\n`;
    expect(replaceBenchSection(readme, 'new')).toBe(`# A\n\n${README_START}\nnew\n${README_END}\n\n## B\n`);
    expect(() => replaceBenchSection('# no markers', 'x')).toThrow(/bench:start/);
  });
});
