import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Both web apps are built into dist/web and served by the Portico server: the files under /static/ (hashed names,
 * cached for a year), each app's index.html for every path of the app (`/portal/<portal name>/…`, `/app/…`).
 */
export default defineConfig({
  root: here('.'),
  base: '/static/',
  plugins: [react()],
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: { portal: here('portal/index.html'), backoffice: here('backoffice/index.html') } },
  },
});
