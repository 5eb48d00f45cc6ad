import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The dashboard is served by the service at /app; `npm run dev:web` proxies the API to a running service. */
export default defineConfig({
  root,
  base: '/app/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: { '/v1': process.env.LEDGERBRIDGE_URL ?? 'http://localhost:3000' },
  },
});
