// Lint: typescript-eslint's recommended rules; formatting is prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'models/', '.cache/', 'coverage/', '**/public/vendor/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', module: 'writable', require: 'readonly', __dirname: 'readonly', window: 'readonly', document: 'readonly', localStorage: 'readonly', navigator: 'readonly', fetch: 'readonly', WebSocket: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', URLSearchParams: 'readonly', crypto: 'readonly', location: 'readonly', Event: 'readonly', CustomEvent: 'readonly', HTMLElement: 'readonly', FormData: 'readonly', Blob: 'readonly', matchMedia: 'readonly', getComputedStyle: 'readonly', requestAnimationFrame: 'readonly', alert: 'readonly', confirm: 'readonly', Chart: 'readonly', FileReader: 'readonly', AbortController: 'readonly', performance: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', BroadcastChannel: 'readonly', AudioContext: 'readonly', Notification: 'readonly', createImageBitmap: 'readonly', XMLHttpRequest: 'readonly', ResizeObserver: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
