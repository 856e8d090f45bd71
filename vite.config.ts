import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
  },
  optimizeDeps: {
    // onnxruntime-web ships its own wasm loader; pre-bundling breaks its asset URLs.
    exclude: ['@huggingface/transformers'],
  },
});
