import { create } from '@bufbuild/protobuf';
import { float32Bytes } from '../modelFile.ts';
import {
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  NodeProtoSchema,
  TensorProto_DataType,
  TensorProtoSchema,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
} from './onnx/onnx_pb.ts';

/**
 * A small helper that accumulates an ONNX graph's nodes and initializers (weights and constants)
 * in order, so the export reads as the forward pass it writes: one call per operator. Values are
 * referred to by name, as ONNX does; every tensor is float32.
 */

/** A node attribute: a float (`epsilon`, `alpha`…) or an integer (`axis`). */
export type OnnxAttribute =
  | { readonly kind: 'float'; readonly name: string; readonly value: number }
  | { readonly kind: 'int'; readonly name: string; readonly value: number };

function attributeProto(attribute: OnnxAttribute): AttributeProto {
  switch (attribute.kind) {
    case 'float':
      return create(AttributeProtoSchema, {
        name: attribute.name,
        type: AttributeProto_AttributeType.FLOAT,
        f: attribute.value,
      });
    case 'int':
      return create(AttributeProtoSchema, {
        name: attribute.name,
        type: AttributeProto_AttributeType.INT,
        i: BigInt(attribute.value),
      });
    default: {
      const unknown: never = attribute;
      throw new Error(`Unknown ONNX attribute ${String(unknown)}`);
    }
  }
}

/** A float32 tensor with `dims` (`[]` for a scalar), its values as little-endian `raw_data`. */
export function float32Tensor(name: string, dims: readonly number[], values: Float32Array): TensorProto {
  return create(TensorProtoSchema, {
    name,
    dims: dims.map((d) => BigInt(d)),
    dataType: TensorProto_DataType.FLOAT,
    rawData: float32Bytes(values),
  });
}

export class OnnxGraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly initializerNames = new Set<string>();

  /** Adds a weight or constant tensor once under `name` and returns the name. */
  initializer(name: string, dims: readonly number[], values: Float32Array): string {
    if (!this.initializerNames.has(name)) {
      this.initializerNames.add(name);
      this.initializers.push(float32Tensor(name, dims, values));
    }
    return name;
  }

  /**
   * A scalar float32 constant (broadcast by the elementwise ops), added once per name, so layers
   * sharing a constant (GELU's 0.5) share one initializer.
   */
  scalar(name: string, value: number): string {
    return this.initializer(name, [], Float32Array.of(value));
  }

  /** Appends one `opType` node reading `inputs`, writing the value `output`; returns `output`. */
  node(
    opType: string,
    inputs: readonly string[],
    output: string,
    attributes: readonly OnnxAttribute[] = [],
  ): string {
    this.nodes.push(
      create(NodeProtoSchema, {
        name: output,
        opType,
        input: [...inputs],
        output: [output],
        attribute: attributes.map(attributeProto),
      }),
    );
    return output;
  }
}
