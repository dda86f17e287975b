import { registerNodeAliases } from '../src/cli/nodeResolve.ts';
import { enableWasmFeatures } from '../src/cli/wasmFeatures.ts';

/**
 * `npx tsx scripts/vanishingGradients.ts`: trains the vanishing-gradients preset and its batch-norm
 * twin in Node (the CLI's engine and kernel) with the in-process per-epoch analysis, and prints
 * what the Layers view would show per epoch: each layer's gradient norm and update/weight ratio
 * on the probe batch and the saturated share, with validation and test accuracy. The figures in
 * the lesson's notes (`src/core/lessons.ts`) come from it.
 */
registerNodeAliases();
enableWasmFeatures();
const { setUpBackend } = await import('../src/cli/nodeBackend.ts');
const { loadMnistFromPackage } = await import('../src/cli/nodeData.ts');
const { loadConfigFile } = await import('../src/cli/configFile.ts');
const { runTraining } = await import('../src/ml/trainingLoop.ts');
const { RunController } = await import('../src/ml/runControl.ts');

const PRESETS = [
  'configs/vanishing-gradients-sigmoid-8-layers-sgd.json',
  'configs/vanishing-gradients-sigmoid-8-layers-sgd-batchnorm.json',
];

const print = (line: string) => process.stdout.write(`${line}\n`);
const exponent = (value: number | null) => (value === null ? '–' : value.toExponential(1));

await setUpBackend('wasm');
const data = loadMnistFromPackage();
for (const file of PRESETS) {
  const loaded = loadConfigFile(file);
  if (!loaded.ok) throw new Error(`${file}: ${loaded.message}`);
  print(loaded.config.name ?? file);
  const result = await runTraining(loaded.config, data, {
    control: new RunController(),
    now: () => performance.now(),
    yieldToEventLoop: () => new Promise<void>((done) => setImmediate(done)),
    onStart: () => {},
    onBatches: () => {},
    onEvaluating: () => {},
    onPaused: () => {},
    onResumed: () => {},
    onEpoch: (report) =>
      print(`  epoch ${report.epoch}: validation accuracy ${report.validation?.accuracy.toFixed(3) ?? '–'}`),
    onAnalysis: (analysis) => {
      const layers = analysis.layerHealth;
      print(`  epoch ${analysis.epoch} gradient norm per layer (input side first):`);
      print(`    ${layers.map((l) => exponent(l.gradientNorm)).join(' ')}`);
      print(`    update/weight ratio: ${layers.map((l) => exponent(l.updateRatio)).join(' ')}`);
      const saturated = layers.map((l) =>
        l.inactive === null ? '–' : `${Math.round(100 * l.inactive.share)}%`,
      );
      print(`    saturated: ${saturated.join(' ')}`);
    },
  });
  print(`  test accuracy ${(100 * result.finalTest.accuracy).toFixed(1)}%`);
}
