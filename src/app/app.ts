import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions } from 'fastify';
import helmet from 'helmet';
import type { AppContext } from '../context.js';
import { type SchemaVersion, schemaVersionOf } from '../db/backups.js';
import { errorHandler, notFoundHandler, problem } from '../http/problem.js';
import { schemaCompiler, serializerCompiler } from '../http/validation.js';
import { paymentWebhookRoutes } from '../modules/payment-webhooks/routes.js';
import { sandboxHostedPages } from '../payments/sandbox/hosted-pages.js';
import { businessApi } from './business-api.js';
import { portalApi } from './portal-api.js';
import { registerWebApps } from './web-apps.js';

/**
 * TRUST_PROXY (src/config.ts) as Fastify takes it. A hop count becomes "the N nearest hops are proxies"
 * (proxy-addr's meaning of a number): Fastify itself now trusts no hop at all when given a number.
 */
function trustedProxies(trust: AppContext['config']['trustProxy']) {
  return typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;
}

export async function buildApp(ctx: AppContext, options: { logger?: FastifyServerOptions['logger'] } = {}) {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1_048_576,
    trustProxy: trustedProxies(ctx.config.trustProxy),
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(schemaCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  // While the server stops (`serve` on SIGTERM), every answer closes its connection: a kept-alive one would hold
  // the stop until it timed out, and the client's next request had better go to an instance that stays.
  let stopping = false;
  app.addHook('preClose', async () => {
    stopping = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (stopping) reply.header('connection', 'close');
    done(null, payload);
  });

  await app.register(cookie);
  // Security headers on every answer. The middleware is built once here (parsing the policy once), then only
  // sets the prepared headers on each response.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
      },
    },
    strictTransportSecurity:
      ctx.config.publicUrl.protocol === 'https:' ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)),
  );

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Portico API',
        version: '1',
        description:
          'The business API (`/api/v1`) and the client portal API (`/api/portal/{slug}`). Money is integer minor units of the document currency; errors are RFC 9457 problem+json with a stable `code`.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key created in Settings → API keys.' },
          businessSession: { type: 'apiKey', in: 'cookie', name: 'portico_app' },
          portalSession: { type: 'apiKey', in: 'cookie', name: 'portico_portal' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // Liveness: the process answers. Readiness: it can serve, with the database reachable and its schema the one
  // this build knows (an older instance is not ready once a newer build migrated the database). docs/deployment.md.
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const notReady = (detail: string) =>
      reply
        .status(503)
        .type('application/problem+json')
        .send(problem(503, 'not_ready', detail));
    let schema: SchemaVersion;
    try {
      schema = await schemaVersionOf(ctx.db.kysely);
    } catch {
      return notReady('The database cannot be reached.');
    }
    if (schema.unknown.length > 0) {
      return notReady(
        `The database was migrated by a newer Portico (migrations this build does not know: ${schema.unknown.join(', ')}).`,
      );
    }
    if (schema.missing.length > 0) {
      return notReady(
        `The database lacks migrations of this build (${schema.missing.join(', ')}): run portico migrate.`,
      );
    }
    return { status: 'ready' };
  });

  await app.register(businessApi(ctx), { prefix: '/api/v1' });
  await app.register(portalApi(ctx), { prefix: '/api/portal/:slug' });
  // Gateway webhooks: public, each verified by its signature over the raw body.
  await app.register(paymentWebhookRoutes(ctx), { prefix: '/api/webhooks' });
  // The sandbox gateway's hosted card-entry pages; never in production, where the sandbox does not run.
  if (!ctx.config.production) await app.register(sandboxHostedPages(ctx), { prefix: '/sandbox-gateway' });
  await registerWebApps(app);
  return app;
}
