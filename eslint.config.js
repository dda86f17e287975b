// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Layer boundaries (see ARCHITECTURE.md): core is pure; ml adds tfjs; worker owns `self`;
 * client/ui/charts never touch tfjs. Type-only imports across the worker boundary are allowed,
 * since the protocol types are shared by both sides.
 */
const TFJS = { group: ['@tensorflow/*'], message: 'Only src/ml and src/worker may use TF.js.' };
const REACT = {
  group: ['react', 'react-dom', 'react-dom/*'],
  message: 'React belongs in src/ui and src/charts.',
};
const layer = (name, message) => ({ group: [`**/${name}/**`, `../${name}/*`], message });
const ML = layer('ml', 'Only src/worker (and the CLI) may import src/ml.');
const WORKER = { ...layer('worker', 'Only types may cross the worker boundary.'), allowTypeImports: true };
const CLIENT = layer('client', 'src/client is for the page side.');
const UI = layer('ui', 'src/ui is the top layer; nothing imports it.');
const CHARTS = layer('charts', 'src/charts is for src/ui.');
const TESTING = layer('testing', 'src/testing is test support: only tests (*.test.ts) may import it.');

/** Seeded randomness only (ARCHITECTURE.md rule 6). */
const NO_MATH_RANDOM = {
  object: 'Math',
  property: 'random',
  message: 'Use SeededRandom so runs are reproducible.',
};

/**
 * Nothing from a link or a file may be rendered as HTML or run as code: text goes through React
 * (which escapes it), and the Content-Security-Policy would block inline scripts anyway.
 */
const HTML_SINK = 'Renders a string as HTML; put text in the DOM through React (textContent).';
const NO_HTML_SINKS = [
  ...['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'createContextualFragment', 'srcdoc'].map(
    (property) => ({ property, message: HTML_SINK }),
  ),
  { object: 'document', property: 'write', message: HTML_SINK },
  { object: 'document', property: 'writeln', message: HTML_SINK },
];

const restrict = (files, patterns) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  // kernels/ is AssemblyScript (its own compiler checks it); scripts/_*.ts are untracked scratch files;
  // onnx_pb.ts is generated from onnx.proto (npm run build:onnx-proto).
  {
    ignores: [
      'src/core/export/onnx/onnx_pb.ts',
      'dist',
      'dist-bench',
      'node_modules',
      'test-results',
      'playwright-report',
      'bench-results',
      'kernels',
      'scripts/_*.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { ecmaVersion: 2023, globals: { ...globals.browser, ...globals.worker } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', NO_MATH_RANDOM],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-properties': ['error', NO_MATH_RANDOM, ...NO_HTML_SINKS],
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Renders a string as HTML; render text or elements instead.',
        },
        {
          selector: "NewExpression[callee.name='DOMParser']",
          message: 'Parses a string as HTML; nothing from a link or a file is HTML.',
        },
      ],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-script-url': 'error',
    },
  },
  {
    files: ['scripts/**', 'e2e/**', '*.config.{ts,js}', 'src/cli/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  restrict(['src/core/**'], [TFJS, REACT, ML, WORKER, CLIENT, UI, CHARTS]),
  restrict(['src/ml/**'], [REACT, { ...WORKER, allowTypeImports: false }, CLIENT, UI, CHARTS]),
  restrict(['src/worker/**'], [REACT, CLIENT, UI, CHARTS]),
  restrict(['src/client/**'], [TFJS, REACT, ML, WORKER, UI, CHARTS]),
  restrict(['src/ui/**'], [TFJS, ML, WORKER]),
  restrict(['src/charts/**'], [TFJS, ML, WORKER, CLIENT, UI]),
  // The bench page drives the real worker through src/client; its fit-baseline worker is a worker
  // of its own (TF.js Layers, and the app's backend set-up and MNIST fetch).
  restrict(['src/bench/**'], [TFJS, REACT, ML, WORKER, UI, CHARTS]),
  restrict(['src/bench/**/*.worker.ts'], [REACT, ML, CLIENT, UI, CHARTS]),
  // Test support (fast-check generators, fixtures, a fake IndexedDB) never ships: only tests use
  // it. ESLint's own rule, so the layer rules above (the typescript-eslint one) still apply.
  {
    files: ['src/**/*.{ts,tsx}', 'scripts/**/*.ts'],
    ignores: ['**/*.test.ts', 'src/testing/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [TESTING] }] },
  },
);
