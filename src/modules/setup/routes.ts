import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { startSession } from '../../auth/sessions.js';
import type { AppContext } from '../../context.js';
import { Identity, identityOf } from '../session/index.js';
import { SetupInput, SetupStatus } from './schemas.js';
import { setUpFirstOrganization, setupNeeded } from './service.js';

const tags = ['setup'];

/**
 * First run (`portico serve --no-demo` on an empty database): the back office offers "Set up your organization"
 * instead of signing in. Public, and only while no organization exists at all; afterwards POST answers 409.
 */
export const setupRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/setup',
      {
        schema: {
          tags,
          summary: 'Whether Portico still needs its first organization (true only on an empty database)',
          response: { 200: SetupStatus },
        },
      },
      async () => ({ needed: await setupNeeded(ctx) }),
    );

    app.post(
      '/setup',
      {
        schema: {
          tags,
          summary: 'Create the first organization and its owner, and sign the owner in',
          body: SetupInput,
          response: { 201: Identity },
        },
      },
      async (request, reply) => {
        const owner = await setUpFirstOrganization(ctx, request.body, { ip: request.ip });
        const { csrfToken } = await startSession(ctx, request, reply, 'business', owner);
        return reply.status(201).send(await identityOf(ctx, owner, csrfToken));
      },
    );
  };
