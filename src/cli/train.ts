import { registerNodeAliases } from './nodeResolve.ts';

/**
 * Entry of `npm run train` (see main.ts). Node's module hooks must be in place before src/ml is
 * loaded, hence the dynamic import.
 */
registerNodeAliases();
const { runCli } = await import('./main.ts');
runCli(process.argv.slice(2));
