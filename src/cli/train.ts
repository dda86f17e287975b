import { registerNodeAliases } from './nodeResolve.ts';
import { enableWasmFeatures } from './wasmFeatures.ts';

/**
 * Entry of `npm run train` (see main.ts). Node's module hooks must be in place before src/ml is
 * loaded, and the V8 flags set before the fused kernel is compiled, hence the dynamic import.
 */
registerNodeAliases();
enableWasmFeatures();
const { runCli } = await import('./main.ts');
runCli(process.argv.slice(2));
