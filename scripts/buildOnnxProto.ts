import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Generates `src/core/export/onnx/onnx_pb.ts`, the protobuf-es schema of ONNX's own `onnx.proto`
 * (vendored beside it, from the ONNX release named in the exporter's TSDoc), which the ONNX
 * export encodes with. Needs `protoc` on the PATH (Debian: `apt-get install protobuf-compiler`)
 * and the pinned `@bufbuild/protoc-gen-es` plugin; the output is committed, so building and
 * testing the app need neither. `scripts/buildOnnxProto.test.ts` checks the committed file is what
 * this writes, where `protoc` exists.
 *
 *     npm run build:onnx-proto
 */

const root = fileURLToPath(new URL('..', import.meta.url));
export const ONNX_PROTO_DIR = 'src/core/export/onnx';
export const ONNX_PROTO_OUTPUT = 'onnx_pb.ts';

/** Runs protoc with protoc-gen-es, writing `onnx_pb.ts` into `outDir` (absolute or from the root). */
export function generateOnnxProto(outDir: string = ONNX_PROTO_DIR): void {
  execFileSync(
    'protoc',
    [
      `--plugin=protoc-gen-es=${root}node_modules/.bin/protoc-gen-es`,
      `--es_out=${outDir}`,
      '--es_opt=target=ts,import_extension=ts',
      `--proto_path=${ONNX_PROTO_DIR}`,
      'onnx.proto',
    ],
    { cwd: root, stdio: 'inherit' },
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) generateOnnxProto();
