import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { checkNewPassword, PASSWORD_DEFAULT_MIN } from '../../auth/password-policy.js';
import { startSession } from '../../auth/sessions.js';
import { assertAllowed, ipThrottleKey, recordFailure } from '../../auth/throttle.js';
import type { AppContext } from '../../context.js';
import { isTimeZone } from '../../domain/dates.js';
import { AppError, invalid } from '../../domain/errors.js';
import { Currency, Email, Name } from '../../http/schemas.js';
import { createOrganization, SLUG_PATTERN } from '../organization/service.js';
import { Identity, identityOf } from '../session/routes.js';

const tags = ['setup'];

const SetupInput = Type.Object(
  {
    organizationName: Name,
    portalName: Type.String({
      minLength: 1,
      maxLength: 60,
      description: 'The slug of the client portal: /portal/<portal name>/ (lower-case letters, digits and dashes).',
    }),
    currency: Currency,
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'An IANA time zone, e.g. Europe/Paris.' }),
    locale: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}(-[A-Z]{2})?$' })),
    ownerName: Name,
    ownerEmail: Email,
    password: Type.String({ minLength: 1, maxLength: 1000, description: 'Checked against the password rules.' }),
  },
  { additionalProperties: false },
);

async function setupNeeded(ctx: AppContext): Promise<boolean> {
  const any = await ctx.db.kysely.selectFrom('organizations').select('id').limit(1).executeTakeFirst();
  return any === undefined;
}

/**
 * First run (`portico serve --no-demo` on an empty database): the back office offers "Set up your organization"
 * instead of signing in. Public, and only while no organization exists at all; afterwards POST answers 409.
 * Every POST counts against the caller's IP (20 an hour), as the route is open to anyone who reaches the server.
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
          response: { 200: Type.Object({ needed: Type.Boolean() }) },
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
        const throttle = [ipThrottleKey('business', 'setup', request.ip)];
        await assertAllowed(ctx, throttle);
        await recordFailure(ctx, throttle);
        if (!(await setupNeeded(ctx))) throw new AppError('conflict', 'Portico is set up already: sign in instead.');
        const body = request.body;
        if (!SLUG_PATTERN.test(body.portalName)) {
          throw invalid('/portalName', 'use lower-case letters, digits and dashes');
        }
        if (!isTimeZone(body.timeZone)) throw invalid('/timeZone', 'is not a known IANA time zone');
        const email = body.ownerEmail.toLowerCase();
        checkNewPassword(body.password, {
          minLength: PASSWORD_DEFAULT_MIN,
          context: [email.split('@')[0] ?? '', body.organizationName],
        });
        const { organizationId, userId } = await createOrganization(
          ctx,
          {
            name: body.organizationName,
            slug: body.portalName,
            baseCurrency: body.currency,
            timeZone: body.timeZone,
            ...(body.locale ? { locale: body.locale } : {}),
            owner: { email, name: body.ownerName, password: body.password },
          },
          { onlyIfFirst: true },
        );
        const { csrfToken } = await startSession(ctx, request, reply, 'business', { organizationId, userId });
        return reply.status(201).send(await identityOf(ctx, userId, csrfToken));
      },
    );
  };
