import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
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
