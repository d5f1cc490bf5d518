import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The server serves the built console at /console/ and the REST API under /api.
// `npm run dev -w @madoguchi/console` proxies /api and the /ws WebSockets to the server (override with MADOGUCHI_API_URL).
const apiTarget = process.env.MADOGUCHI_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  base: '/console/',
  root: import.meta.dirname,
  plugins: [react(), tailwindcss()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/ws': { target: apiTarget, changeOrigin: false, ws: true },
    },
  },
});
