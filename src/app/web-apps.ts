import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where `npm run build` puts the web apps (web/vite.config.ts). */
export const WEB_BUILD_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/**
 * The web apps: their built files under /static/ (content-hashed names, so cached for a year) and each app's page
 * for every path of the app — the client portal at `/portal/<portal name>/…`, the back office at `/app/…`. The
 * portal page is the same for every portal; the app reads the portal name from the address and asks the portal
 * API for everything else, so an unknown or disabled portal shows its own "not found" screen.
 */
export async function registerWebApps(app: FastifyInstance, buildDir = WEB_BUILD_DIR) {
  const portalPage = path.join(buildDir, 'portal', 'index.html');
  const backOfficePage = path.join(buildDir, 'backoffice', 'index.html');
  if (!existsSync(portalPage) || !existsSync(backOfficePage)) {
    const notBuilt = async (_request: unknown, reply: FastifyReply) =>
      reply.code(503).type('text/plain; charset=utf-8').send('The web apps are not built yet: run `npm run build`.');
    app.get('/portal/:slug', { schema: { hide: true } }, notBuilt);
    app.get('/portal/:slug/*', { schema: { hide: true } }, notBuilt);
    app.get('/app', { schema: { hide: true } }, notBuilt);
    app.get('/app/*', { schema: { hide: true } }, notBuilt);
    return;
  }
  await app.register(fastifyStatic, {
    root: buildDir,
    prefix: '/static/',
    index: false,
    wildcard: true,
    maxAge: '365d',
    immutable: true,
    // The build writes .br and .gz copies of every script and stylesheet (web/vite.config.ts).
    preCompressed: true,
  });
  const pageSender = (file: string) => {
    const page = readFileSync(file);
    return async (_request: unknown, reply: FastifyReply) =>
      reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(page);
  };
  const sendPage = pageSender(portalPage);
  app.get('/portal/:slug', { schema: { hide: true } }, async (request, reply) =>
    reply.redirect(`/portal/${encodeURIComponent((request.params as { slug: string }).slug)}/`),
  );
  app.get('/portal/:slug/*', { schema: { hide: true } }, sendPage);
  const sendBackOffice = pageSender(backOfficePage);
  app.get('/app', { schema: { hide: true } }, sendBackOffice);
  app.get('/app/*', { schema: { hide: true } }, sendBackOffice);
}
