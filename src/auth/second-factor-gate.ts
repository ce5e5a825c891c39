import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { AppError } from '../domain/errors.js';
import { isStrongSignIn } from './sessions.js';

/**
 * The two checks sessions get from second factors (docs/second-factors.md):
 *  - a session whose organization requires a second factor, signed in by a person without one, may only read and
 *    end itself and enrol a factor; every other route answers 403 `second_factor_enrolment_required`;
 *  - changing a second factor or a saved card needs a recent strong sign-in: within RECENT_SIGN_IN_MS, with a second
 *    factor when the person has one (with the password when they have none); else 403 `recent_sign_in_required`,
 *    which tells the app to ask the person to sign in again.
 */
export const RECENT_SIGN_IN_MS = 10 * 60_000;

/** What an enrolment-only session may reach: its own session, and the second-factor routes (and see below). */
const ENROLMENT_ROUTES = /^\/api\/(?:v1|portal\/:slug)\/(?:session|second-factors(?:\/.*)?)$/;

export function enforceEnrolment(request: FastifyRequest, enrolmentRequired: number): void {
  if (enrolmentRequired !== 1) return;
  const route = request.routeOptions.url ?? '';
  if (ENROLMENT_ROUTES.test(route)) return;
  // The back office reads its organization (locale, currency) to show any screen, the enrolment one too.
  if (request.method === 'GET' && route === '/api/v1/organization') return;
  throw new AppError(
    'second_factor_enrolment_required',
    'Your organization requires a second factor: set one up before going on.',
  );
}

/** Refuses unless the session behind `sessionId` was signed in to recently enough, and strongly enough. */
export async function requireRecentSignIn(ctx: AppContext, sessionId: string | undefined): Promise<void> {
  const session =
    sessionId === undefined
      ? undefined
      : await ctx.db.kysely
          .selectFrom('sessions')
          .select(['authenticatedWith', 'authenticatedAt', 'createdAt', 'userId', 'contactPersonId'])
          .where('id', '=', sessionId)
          .executeTakeFirst();
  if (!session) throw new AppError('forbidden', 'Only a signed-in person can change this.');
  const signedInAt = Date.parse(session.authenticatedAt ?? session.createdAt);
  let strongEnough = isStrongSignIn(session.authenticatedWith);
  if (!strongEnough) {
    const factor = await ctx.db.kysely
      .selectFrom('secondFactors')
      .select('id')
      .where((eb) =>
        session.userId !== null
          ? eb('userId', '=', session.userId)
          : eb('contactPersonId', '=', session.contactPersonId ?? ''),
      )
      .where('confirmedAt', 'is not', null)
      .executeTakeFirst();
    strongEnough = factor === undefined;
  }
  if (!strongEnough || ctx.now().getTime() - signedInAt > RECENT_SIGN_IN_MS) {
    throw new AppError('recent_sign_in_required', 'For your safety, sign in again before changing this.');
  }
}
