import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API runs on its own port in development (apps/server, PORT 8389 by default); the dev server
// forwards /api so the browser sees one origin, as it does in production where the API serves dist/.
const apiTarget = process.env.CORDON_API_URL ?? 'http://localhost:8389';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
});
