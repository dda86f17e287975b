import { fromBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { plausibleSavedModel } from '../../testing/plausibleSavedModel.ts';
import { makeSavedModel } from '../../testing/savedModelFixture.ts';
import { DEFAULT_CONFIG, type TrainingConfig } from '../config.ts';
import { float32Bytes, type SavedModel } from '../modelFile.ts';
import { exportOnnx } from './onnxExport.ts';
import {
  ModelProtoSchema,
  TensorProto_DataType,
  type ModelProto,
  type ValueInfoProto,
} from './onnx/onnx_pb.ts';

/**
 * The ONNX file's structure, decoded with the same generated schema: opset, declared input and
 * outputs, the operators in order, the weights bit for bit, the metadata, and the messages for
 * models that cannot be exported. That ONNX Runtime runs it and predicts what our forward pass
 * predicts is `src/ml/onnxExport.test.ts`.
 */

const STANDARDIZED = { mean: 0.1307, std: 0.3081 };

function configWith(hiddenLayers: TrainingConfig['model']['hiddenLayers']): TrainingConfig {
  return { ...DEFAULT_CONFIG, model: { ...DEFAULT_CONFIG.model, hiddenLayers } };
}

async function exported(model: SavedModel): Promise<ModelProto> {
  const files = await exportOnnx(model, 'digits-97');
  expect(files.map((f) => [f.name, f.mimeType])).toEqual([['digits-97.onnx', 'application/octet-stream']]);
  const contents = files[0]?.contents;
  if (!(contents instanceof Uint8Array)) throw new Error('expected bytes');
  return fromBinary(ModelProtoSchema, contents);
}

const geluWithBatchNorm = configWith([
  { units: 32, activation: 'gelu', dropout: 0.3, batchNorm: true },
  { units: 16, activation: 'relu', dropout: 0, batchNorm: false },
]);

describe('exportOnnx', () => {
  it('writes an opset-13 model with a symbolic batch dimension, raw pixels in and probabilities and logits out', async () => {
    const proto = await exported(plausibleSavedModel(DEFAULT_CONFIG, STANDARDIZED));
    expect(proto.irVersion).toBe(7n);
    expect(proto.opsetImport.map((o) => [o.domain, o.version])).toEqual([['', 13n]]);
    expect(proto.producerName).toBe('mlp-playground');
    const shapes = (values: readonly ValueInfoProto[]) =>
      values.map((v) => {
        const tensor = v.type?.value.case === 'tensorType' ? v.type.value.value : undefined;
        return [v.name, tensor?.elemType, tensor?.shape?.dim.map((d) => d.value.value)];
      });
    expect(shapes(proto.graph?.input ?? [])).toEqual([
      ['pixels', TensorProto_DataType.FLOAT, ['batch', 784n]],
    ]);
    expect(shapes(proto.graph?.output ?? [])).toEqual([
      ['probabilities', TensorProto_DataType.FLOAT, ['batch', 10n]],
      ['logits', TensorProto_DataType.FLOAT, ['batch', 10n]],
    ]);
  });

  it('writes the inference forward pass in order: normalisation, dense, batch norm, activation, softmax; no dropout', async () => {
    const proto = await exported(plausibleSavedModel(geluWithBatchNorm, STANDARDIZED));
    const ops = proto.graph?.node.map((n) => n.opType) ?? [];
    const gelu = ['Mul', 'Mul', 'Mul', 'Add', 'Mul', 'Tanh', 'Add', 'Mul', 'Mul'];
    expect(ops).toEqual([
      ...['Div', 'Sub', 'Div'],
      ...['Gemm', 'BatchNormalization', ...gelu],
      ...['Gemm', 'Relu'],
      ...['Gemm', 'Softmax'],
    ]);
    const batchNorm = proto.graph?.node.find((n) => n.opType === 'BatchNormalization');
    expect(batchNorm?.input).toEqual([
      'dense0',
      'bn0.gamma',
      'bn0.beta',
      'bn0.runningMean',
      'bn0.runningVar',
    ]);
    expect(batchNorm?.attribute.map((a) => [a.name, a.f])).toEqual([['epsilon', Math.fround(1e-5)]]);
  });

  it('reads every value after it is written (a valid topological order)', async () => {
    const proto = await exported(plausibleSavedModel(geluWithBatchNorm, STANDARDIZED));
    const known = new Set(['pixels', ...(proto.graph?.initializer.map((t) => t.name) ?? [])]);
    for (const node of proto.graph?.node ?? []) {
      for (const input of node.input) expect(known.has(input), `${node.name} reads ${input}`).toBe(true);
      for (const output of node.output) {
        expect(known.has(output), `${output} is written twice`).toBe(false);
        known.add(output);
      }
    }
    expect(known.has('probabilities') && known.has('logits')).toBe(true);
  });

  it('stores every parameter under its own name, float32 little-endian, bit for bit', async () => {
    const model = plausibleSavedModel(geluWithBatchNorm, STANDARDIZED);
    const proto = await exported(model);
    const byName = new Map(proto.graph?.initializer.map((t) => [t.name, t]));
    for (const { name, shape, data } of model.parameters) {
      const tensor = byName.get(name);
      expect(tensor?.dataType, name).toBe(TensorProto_DataType.FLOAT);
      expect(tensor?.dims, name).toEqual(shape.map((d) => BigInt(d)));
      expect(tensor?.rawData, name).toEqual(float32Bytes(data));
    }
  });

  it('leaves out the normalisation steps that do nothing (x/255 alone for the scale option)', async () => {
    const proto = await exported(plausibleSavedModel(configWith([]), { mean: 0, std: 1 }));
    expect(proto.graph?.node.map((n) => n.opType)).toEqual(['Div', 'Gemm', 'Softmax']);
  });

  it('states the normalisation, the architecture, where the weights are from and the config in the metadata', async () => {
    const model = makeSavedModel(geluWithBatchNorm, { testAccuracy: 0.9731 });
    const proto = await exported(model);
    const props = Object.fromEntries(proto.metadataProps.map((p) => [p.key, p.value]));
    expect(props['architecture']).toBe('784-32-16-10');
    expect(props['normalization.mean']).toBe('0.1307');
    expect(props['normalization.std']).toBe('0.3081');
    expect(props['trained']).toBe('epoch 2, step 844');
    expect(props['test_accuracy']).toBe('0.9731');
    expect(JSON.parse(props['config'] ?? '')).toEqual(geluWithBatchNorm);
    expect(proto.graph?.name).toBe('digits');
  });

  it('rejects, naming the tensor, weights that do not fit the config or are not finite', async () => {
    const model = makeSavedModel(DEFAULT_CONFIG);
    const [first, ...rest] = model.parameters;
    if (first === undefined) throw new Error('no parameters');
    const truncated = { ...first, shape: [784, 100], data: first.data.subarray(0, 78_400) };
    await expect(exportOnnx({ ...model, parameters: [truncated, ...rest] }, 'm')).rejects.toThrow(
      /^Cannot export this model as ONNX: dense0.kernel should be 784×128 but is 784×100/,
    );
    const nan = { ...first, data: Float32Array.from(first.data, (v, i) => (i === 5 ? NaN : v)) };
    await expect(exportOnnx({ ...model, parameters: [nan, ...rest] }, 'm')).rejects.toThrow(
      /dense0.kernel holds a value that is not finite/,
    );
  });
});
