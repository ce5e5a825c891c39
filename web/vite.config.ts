import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Writes a Brotli and a gzip copy beside every script and stylesheet, once at build time, so the server sends
 * them compressed without spending CPU per request (@fastify/static's `preCompressed`).
 */
function precompress(outDir: string): Plugin {
  return {
    name: 'portico-precompress',
    apply: 'build',
    closeBundle() {
      const assets = path.join(outDir, 'assets');
      for (const file of readdirSync(assets)) {
        if (!/\.(js|css|svg)$/.test(file)) continue;
        const content = readFileSync(path.join(assets, file));
        writeFileSync(path.join(assets, `${file}.gz`), gzipSync(content, { level: 9 }));
        const brotli = { [constants.BROTLI_PARAM_QUALITY]: 11 };
        writeFileSync(path.join(assets, `${file}.br`), brotliCompressSync(content, { params: brotli }));
      }
    },
  };
}

const outDir = here('../dist/web');

/**
 * Both web apps are built into dist/web and served by the Portico server: the files under /static/ (hashed names,
 * cached for a year), each app's index.html for every path of the app (`/portal/<portal name>/…`, `/app/…`).
 */
export default defineConfig({
  root: here('.'),
  base: '/static/',
  plugins: [react(), precompress(outDir)],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: { portal: here('portal/index.html'), backoffice: here('backoffice/index.html') } },
  },
});
