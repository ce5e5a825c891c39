import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Selectable } from 'kysely';
import type { AppContext } from '../context.js';
import { prepared } from '../db/database.js';
import type { SessionsTable } from '../db/schema.js';
import { hashToken, newSecretToken } from './tokens.js';

export type Realm = SessionsTable['realm'];

/**
 * How a session was signed in to (migration 0022): the password alone, the password and a second factor, or a
 * single-use e-mailed link (an accepted invitation, a password reset). Strong: a second factor was used.
 */
export type SignInMethod = 'password' | 'password+totp' | 'password+passkey' | 'password+recovery_code' | 'email_link';

export const isStrongSignIn = (method: string): boolean => method.startsWith('password+');

export interface SessionIdentity {
  organizationId: string;
  userId?: string;
  contactPersonId?: string;
  /** How the person proved who they are; `password` when not said. */
  signedInWith?: SignInMethod;
  /** The organization requires a second factor and the person has none yet: the session may only enrol one. */
  enrolmentRequired?: boolean;
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
      authenticatedWith: who.signedInWith ?? 'password',
      authenticatedAt: now.toISOString(),
      enrolmentRequired: who.enrolmentRequired ? 1 : 0,
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
  Selectable<SessionsTable>,
  'id' | 'organizationId' | 'userId' | 'contactPersonId' | 'csrfToken' | 'lastSeenAt' | 'enrolmentRequired'
>;

/** The SHA-256 of the realm's session cookie (what the table stores), or null without a cookie. */
export function sessionIdOf(ctx: AppContext, request: FastifyRequest, realm: Realm): string | null {
  const token = request.cookies[sessionCookieName(ctx, realm)];
  return token ? hashToken(token) : null;
}

const sessionById = prepared<{ id: string; realm: Realm }, ActiveSession & { expiresAt: string }>((db, args) =>
  db
    .selectFrom('sessions')
    .select([
      'id',
      'organizationId',
      'userId',
      'contactPersonId',
      'csrfToken',
      'lastSeenAt',
      'expiresAt',
      'enrolmentRequired',
    ])
    .where('id', '=', args.id)
    .where('realm', '=', args.realm),
);

/**
 * Whether a session read just now is still alive: an expired one (idle or absolute limit) is deleted and answers
 * false; a live one has `last_seen_at` written when the stored value is more than a minute old. So the stored
 * last-seen time lags the last request by at most a minute, and the idle limit is measured from it: a session
 * expires between `idle` minus one minute and `idle` after its last request — never later than the idle limit.
 */
export async function keepSessionAlive(
  ctx: AppContext,
  session: { id: string; lastSeenAt: string; expiresAt: string },
): Promise<boolean> {
  const now = ctx.now().getTime();
  const lastSeen = Date.parse(session.lastSeenAt);
  if (now >= Date.parse(session.expiresAt) || now >= lastSeen + ctx.config.sessionIdleMinutes * 60_000) {
    await ctx.db.kysely.deleteFrom('sessions').where('id', '=', session.id).execute();
    return false;
  }
  if (now - lastSeen > TOUCH_EVERY_MS) {
    await ctx.db.kysely
      .updateTable('sessions')
      .set({ lastSeenAt: new Date(now).toISOString() })
      .where('id', '=', session.id)
      .execute();
  }
  return true;
}

/** The live session behind the request's cookie, or null; expired ones (idle or absolute) are deleted. */
export async function currentSession(
  ctx: AppContext,
  request: FastifyRequest,
  realm: Realm,
): Promise<ActiveSession | null> {
  const id = sessionIdOf(ctx, request, realm);
  if (id === null) return null;
  const [session] = await sessionById(ctx.db, { id, realm });
  if (!session) return null;
  return (await keepSessionAlive(ctx, session)) ? session : null;
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
