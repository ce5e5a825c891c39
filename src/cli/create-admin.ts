import { randomBytes } from 'node:crypto';
import { checkNewPassword, PASSWORD_DEFAULT_MIN } from '../auth/password-policy.js';
import { isTimeZone } from '../domain/dates.js';
import { invalid } from '../domain/errors.js';
import { createOrganization, SLUG_PATTERN } from '../modules/organization/index.js';
import { openRuntime } from './runtime.js';

export interface AdminRequest {
  name: string;
  email: string;
  slug?: string | undefined;
  currency: string;
  timeZone: string;
}

/** "Kōbe Works & Co." → "kobe-works-co": the portal name people see in their URL. */
export function slugFrom(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');
}

function passwordFromEnvironment(): { password: string; generated: boolean } {
  const given = process.env.PORTICO_ADMIN_PASSWORD;
  if (given !== undefined && given !== '') {
    checkNewPassword(given, { minLength: PASSWORD_DEFAULT_MIN, path: 'PORTICO_ADMIN_PASSWORD' });
    return { password: given, generated: false };
  }
  // 144 random bits, URL-safe: strong, and easy to paste.
  return { password: randomBytes(18).toString('base64url'), generated: true };
}

/** `portico create-admin`: a new organization and its owner, for a real installation (no demo data). */
export async function createAdminCommand(request: AdminRequest): Promise<void> {
  const slug = request.slug ?? slugFrom(request.name);
  if (!SLUG_PATTERN.test(slug)) {
    throw invalid('--slug', `"${slug}" is not a portal name: use lower-case letters, digits and dashes.`);
  }
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(request.email)) throw invalid('--email', 'is not an e-mail address.');
  if (!isTimeZone(request.timeZone)) throw invalid('--time-zone', `"${request.timeZone}" is not an IANA time zone.`);
  const { password, generated } = passwordFromEnvironment();

  const runtime = await openRuntime();
  try {
    const { organizationId } = await createOrganization(runtime.ctx, {
      name: request.name,
      slug,
      baseCurrency: request.currency.toUpperCase(),
      timeZone: request.timeZone,
      owner: { email: request.email, name: request.email.split('@')[0] ?? request.email, password },
    });
    const base = runtime.ctx.config.publicUrl;
    console.log(`Created the organization "${request.name}" (${organizationId}).`);
    console.log(`  Back office: ${new URL('/app/', base)}`);
    console.log(`  Portal:      ${new URL(`/portal/${slug}/`, base)}`);
    console.log(`  Owner:       ${request.email.toLowerCase()}`);
    if (generated) {
      console.log(`  Password:    ${password}`);
      console.log('  This password is shown only once: keep it in a password manager.');
    } else {
      console.log('  Password:    the one in PORTICO_ADMIN_PASSWORD');
    }
  } finally {
    await runtime.close();
  }
}
