import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import { hashPassword, needsRehash, verifyPassword } from '../../auth/passwords.js';
import { currentSession, endSession, startSession } from '../../auth/sessions.js';
import { accountThrottleKey, assertAllowed, clearFailures, ipThrottleKey, recordFailure } from '../../auth/throttle.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../domain/errors.js';
import { Email } from '../../http/schemas.js';
import { recordAudit } from '../audit/service.js';

export const Identity = Type.Object({
  user: Type.Object({ id: Type.String(), name: Type.String(), email: Type.String(), role: Type.String() }),
  organization: Type.Object({ id: Type.String(), name: Type.String(), slug: Type.String() }),
  csrfToken: Type.String(),
});

export async function identityOf(ctx: AppContext, userId: string, csrfToken: string) {
  const row = await ctx.db.kysely
    .selectFrom('users')
    .innerJoin('organizations', 'organizations.id', 'users.organizationId')
    .select([
      'users.id',
      'users.name',
      'users.email',
      'users.role',
      'organizations.id as organizationId',
      'organizations.name as organizationName',
      'organizations.slug',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirstOrThrow();
  return {
    user: { id: row.id, name: row.name, email: row.email, role: row.role },
    organization: { id: row.organizationId, name: row.organizationName, slug: row.slug },
    csrfToken,
  };
}

/** Sign-in for business users (the back office). Public: POST; the rest needs the session itself. */
export const publicSessionRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/session',
      {
        schema: {
          tags: ['session'],
          summary: 'Sign in a business user',
          body: Type.Object(
            {
              email: Email,
              password: Type.String({ minLength: 1, maxLength: 128 }),
              organization: Type.Optional(
                Type.String({
                  maxLength: 60,
                  description: 'Slug, when the e-mail is a user of several organizations.',
                }),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 200: Identity },
        },
      },
      async (request, reply) => {
        const { email, password, organization } = request.body;
        // A business e-mail is one account whichever organization it names; unknown e-mails count alike.
        const accountKey = accountThrottleKey('business', null, email);
        const throttleKeys = [accountKey, ipThrottleKey('business', 'login', request.ip)];
        await assertAllowed(ctx, throttleKeys);
        let query = ctx.db.kysely
          .selectFrom('users')
          .innerJoin('organizations', 'organizations.id', 'users.organizationId')
          .select(['users.id', 'users.organizationId', 'users.passwordHash'])
          .where('users.email', '=', email.toLowerCase())
          .where('users.disabledAt', 'is', null)
          .orderBy('users.createdAt')
          .limit(1);
        if (organization !== undefined) query = query.where('organizations.slug', '=', organization);
        const user = await query.executeTakeFirst();
        const ok = await verifyPassword(user?.passwordHash ?? null, password);
        const from = {
          ip: request.ip,
          userAgent: (request.headers['user-agent'] ?? '').slice(0, 300) || null,
          at: ctx.now().toISOString(),
        };
        if (!user || !ok) {
          await recordFailure(ctx, throttleKeys);
          if (user) {
            await recordAudit(ctx.db.kysely, {
              organizationId: user.organizationId,
              event: 'business.login_failed',
              actorType: 'anonymous',
              details: { userId: user.id, email: email.toLowerCase() },
              ...from,
            });
          }
          throw new AppError('unauthenticated', 'The e-mail or password is not right.');
        }
        await clearFailures(ctx, [accountKey]);
        if (user.passwordHash && needsRehash(user.passwordHash)) {
          await ctx.db.kysely
            .updateTable('users')
            .set({ passwordHash: await hashPassword(password) })
            .where('id', '=', user.id)
            .execute();
        }
        const { csrfToken } = await startSession(ctx, request, reply, 'business', {
          organizationId: user.organizationId,
          userId: user.id,
        });
        await recordAudit(ctx.db.kysely, {
          organizationId: user.organizationId,
          event: 'business.login_succeeded',
          actorType: 'user',
          actorId: user.id,
          ...from,
        });
        return identityOf(ctx, user.id, csrfToken);
      },
    );
  };

export const sessionRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/session',
      { schema: { tags: ['session'], summary: 'Who am I, and the CSRF token', response: { 200: Identity } } },
      async (request) => {
        const scope = orgScopeOf(request);
        if (scope.userId === null) throw new AppError('unauthenticated', 'API keys have no session.');
        const session = await currentSession(ctx, request, 'business');
        return identityOf(ctx, scope.userId, session?.csrfToken ?? '');
      },
    );

    app.delete(
      '/session',
      { schema: { tags: ['session'], summary: 'Sign out', response: { 204: Type.Null() } } },
      async (request, reply) => {
        if (request.sessionId) await endSession(ctx, reply, 'business', request.sessionId);
        return reply.status(204).send(null);
      },
    );
  };
