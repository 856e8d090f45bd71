import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Cross-origin isolation (COOP + COEP) gives the page SharedArrayBuffer, which
// the threaded tfjs-wasm binary needs (src/engine/wasm-threads.ts). COEP
// "credentialless" rather than "require-corp": hub downloads are CORS fetches
// either way, and credentialless does not block a cross-origin resource that
// lacks a Cross-Origin-Resource-Policy header. A host that serves the built
// app without these headers still works, on one wasm thread.
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'credentialless',
};

// The lab worker's bundle is not minified: tfjs-backend-wasm starts its
// pthread workers from the *source text* of its threaded module factory
// (Function.prototype.toString), and a minifier renames the outer-scope names
// that text refers to, so every pthread worker died with "ReferenceError: e is
// not defined" (FIELD-NOTES). Dead-code elimination still runs.
export const WORKER_BUILD = {
  format: 'es' as const,
  rolldownOptions: { output: { minify: 'dce-only' as const } },
};

export default defineConfig({
  plugins: [react()],
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  worker: WORKER_BUILD,
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    // bench.html: the engine benchmark page driven by npm run bench (scripts/bench-browser.ts).
    // (rolldownOptions is Vite 8's name for rollupOptions, which is deprecated there.)
    rolldownOptions: { input: { main: 'index.html', bench: 'bench.html' } },
  },
  optimizeDeps: {
    // onnxruntime-web ships its own wasm loader; pre-bundling breaks its asset URLs.
    exclude: ['@huggingface/transformers'],
  },
});
