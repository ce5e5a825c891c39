import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import type { SessionsTable } from '../db/schema.js';
import { hashToken, newSecretToken } from './tokens.js';

export type Realm = SessionsTable['realm'];

export interface SessionIdentity {
  organizationId: string;
  userId?: string;
  contactPersonId?: string;
}

/** One cookie per realm; with https it takes the `__Host-` prefix so no subdomain can plant or read it. */
export function sessionCookieName(ctx: AppContext, realm: Realm): string {
  const base = realm === 'business' ? 'portico_app' : 'portico_portal';
  return ctx.config.publicUrl.protocol === 'https:' ? `__Host-${base}` : base;
}

/** Only this often is `last_seen_at` written, so reads do not each become a write. */
const TOUCH_EVERY_MS = 60_000;

/** Starts a new session (a fresh id at every login: no fixation) and sets its cookie. */
export async function startSession(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  realm: Realm,
  who: SessionIdentity,
): Promise<{ csrfToken: string }> {
  const token = newSecretToken();
  const csrfToken = newSecretToken();
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + ctx.config.sessionAbsoluteHours * 3_600_000);
  await ctx.db.kysely
    .insertInto('sessions')
    .values({
      id: hashToken(token),
      realm,
      organizationId: who.organizationId,
      userId: who.userId ?? null,
      contactPersonId: who.contactPersonId ?? null,
      csrfToken,
      ip: request.ip,
      userAgent: (request.headers['user-agent'] ?? '').slice(0, 300),
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
    })
    .execute();
  reply.setCookie(sessionCookieName(ctx, realm), token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: ctx.config.publicUrl.protocol === 'https:',
    expires: expiresAt,
  });
  return { csrfToken };
}

export type ActiveSession = Pick<
  SessionsTable,
  'id' | 'organizationId' | 'userId' | 'contactPersonId' | 'csrfToken' | 'lastSeenAt'
>;

/** The live session behind the request's cookie, or null; expired ones (idle or absolute) are deleted. */
export async function currentSession(
  ctx: AppContext,
  request: FastifyRequest,
  realm: Realm,
): Promise<ActiveSession | null> {
  const token = request.cookies[sessionCookieName(ctx, realm)];
  if (!token) return null;
  const id = hashToken(token);
  const session = await ctx.db.kysely
    .selectFrom('sessions')
    .select(['id', 'organizationId', 'userId', 'contactPersonId', 'csrfToken', 'lastSeenAt', 'expiresAt'])
    .where('id', '=', id)
    .where('realm', '=', realm)
    .executeTakeFirst();
  if (!session) return null;
  const now = ctx.now().getTime();
  const idleLimit = Date.parse(session.lastSeenAt) + ctx.config.sessionIdleMinutes * 60_000;
  if (now >= Date.parse(session.expiresAt) || now >= idleLimit) {
    await ctx.db.kysely.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  if (now - Date.parse(session.lastSeenAt) > TOUCH_EVERY_MS) {
    await ctx.db.kysely
      .updateTable('sessions')
      .set({ lastSeenAt: new Date(now).toISOString() })
      .where('id', '=', id)
      .execute();
  }
  return session;
}

export async function endSession(ctx: AppContext, reply: FastifyReply, realm: Realm, sessionId: string) {
  await ctx.db.kysely.deleteFrom('sessions').where('id', '=', sessionId).execute();
  reply.clearCookie(sessionCookieName(ctx, realm), { path: '/' });
}

/** Ends every session of a business user (password change, user disabled). */
export async function endSessionsOfUser(ctx: AppContext, userId: string, exceptSessionId?: string) {
  let query = ctx.db.kysely.deleteFrom('sessions').where('userId', '=', userId);
  if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
  await query.execute();
}
