import { register } from 'node:module';

/**
 * src/ml registers TF.js gradients with `import '@tensorflow/tfjs-core/dist/register_all_gradients'`,
 * an ES-module file of tfjs-core whose directory and extensionless imports Vite resolves but
 * Node's ES-module loader refuses (ERR_UNSUPPORTED_DIR_IMPORT). In Node that specifier is
 * aliased to `@tensorflow/tfjs`, whose Node bundle registers the same gradients on the shared
 * `@tensorflow/tfjs-core` instance (the official Node route). Must run before src/ml loads.
 */

const GRADIENTS = '@tensorflow/tfjs-core/dist/register_all_gradients';

const hook = `
export async function resolve(specifier, context, next) {
  return next(specifier === ${JSON.stringify(GRADIENTS)} ? '@tensorflow/tfjs' : specifier, context);
}
`;

export function registerNodeAliases(): void {
  register(`data:text/javascript,${encodeURIComponent(hook)}`, import.meta.url);
}
