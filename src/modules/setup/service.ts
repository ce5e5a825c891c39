import type { Static } from 'typebox';
import { checkNewPassword, PASSWORD_DEFAULT_MIN } from '../../auth/password-policy.js';
import { ipThrottleKey, reserveAttempt } from '../../auth/throttle.js';
import type { AppContext } from '../../context.js';
import { isTimeZone } from '../../domain/dates.js';
import { AppError, invalid } from '../../domain/errors.js';
import { createOrganization, SLUG_PATTERN } from '../organization/index.js';
import type { SetupInput } from './schemas.js';

/** Whether Portico still needs its first organization: true only on an empty database. */
export async function setupNeeded(ctx: AppContext): Promise<boolean> {
  const any = await ctx.db.kysely.selectFrom('organizations').select('id').limit(1).executeTakeFirst();
  return any === undefined;
}

/**
 * Creates the first organization and its owner. Every attempt counts against the caller's IP (20 an hour), as the
 * route is open to anyone who reaches the server; once any organization exists it answers 409, decided again
 * inside createOrganization's transaction so that of two concurrent setups only one wins.
 */
export async function setUpFirstOrganization(ctx: AppContext, input: Static<typeof SetupInput>, from: { ip: string }) {
  // Reserved before anything is checked or hashed, in one atomic statement: concurrent attempts all count.
  await reserveAttempt(ctx, [ipThrottleKey('business', 'setup', from.ip)]);
  if (!(await setupNeeded(ctx))) throw new AppError('conflict', 'Portico is set up already: sign in instead.');
  if (!SLUG_PATTERN.test(input.portalName)) {
    throw invalid('/portalName', 'use lower-case letters, digits and dashes');
  }
  if (!isTimeZone(input.timeZone)) throw invalid('/timeZone', 'is not a known IANA time zone');
  const email = input.ownerEmail.toLowerCase();
  checkNewPassword(input.password, {
    minLength: PASSWORD_DEFAULT_MIN,
    context: [email.split('@')[0] ?? '', input.organizationName],
  });
  return createOrganization(
    ctx,
    {
      name: input.organizationName,
      slug: input.portalName,
      baseCurrency: input.currency,
      timeZone: input.timeZone,
      ...(input.locale ? { locale: input.locale } : {}),
      owner: { email, name: input.ownerName, password: input.password },
    },
    { onlyIfFirst: true },
  );
}
