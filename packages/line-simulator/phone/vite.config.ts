import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type PluginOption } from 'vite';
import { mockSimulator } from './dev/mock-sim.ts';

// The virtual phone is served by the LINE simulator at /phone/ and talks to its /_sim API.
// Development: `SIM_URL=http://localhost:PORT npx vite phone` proxies /_sim to a running simulator;
// `SIM_MOCK=1 npx vite phone` answers /_sim from an in-memory mock with sample messages instead.
const simUrl = process.env.SIM_URL;
const plugins: PluginOption[] = [react()];
if (process.env.SIM_MOCK) plugins.push(mockSimulator());

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/phone/',
  plugins,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: simUrl ? { proxy: { '/_sim': simUrl } } : {},
});
