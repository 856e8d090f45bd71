import { defineConfig } from '@playwright/test';

// Debian's Chromium, headless, with WebGPU enabled (SwiftShader on machines
// without a GPU). Never a downloaded browser: scripts/ensure-chromium.sh
// installs the Debian package when it is missing.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

// Several people (or agents) may run e2e specs at once on one machine: each
// picks a port with PW_PORT and gets its own build folder.
const PORT = Number(process.env.PW_PORT ?? 4173);
const OUT_DIR = process.env.PW_PORT ? `dist-e2e-${PORT}` : 'dist';

export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: process.env.PW_PORT ? `test-results-${PORT}` : 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
    viewport: { width: 1280, height: 720 },
    acceptDownloads: true,
  },
  webServer: {
    command: `npx vite build --outDir ${OUT_DIR} && npx vite preview --outDir ${OUT_DIR} --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
