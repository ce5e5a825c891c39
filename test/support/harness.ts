import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app/app.js';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import type { OpenOptions } from '../../src/db/database.js';
import { createOrganization, type NewOrganization } from '../../src/modules/organization/service.js';
import { saveGatewayConfig } from '../../src/payments/gateway-config.js';
import { PERMISSIVE_SANDBOX_RULES } from '../../src/payments/sandbox/rules.js';
import { freshDatabase, type TestDatabase } from './database.js';

export const OWNER_PASSWORD = 'correct horse battery staple';

/** A running Portico (in-process, via `inject`) on a fresh database, with a clock the test controls. */
export interface Harness {
  ctx: AppContext;
  app: FastifyInstance;
  database: TestDatabase;
  clock: { now: Date };
  close(): Promise<void>;
}

export async function startHarness(
  options: { now?: string; publicUrl?: string; env?: Record<string, string> } & Pick<OpenOptions, 'onQuery'> = {},
): Promise<Harness> {
  const database = await freshDatabase({ onQuery: options.onQuery });
  const clock = { now: new Date(options.now ?? '2026-03-15T10:00:00.000Z') };
  const config = loadConfig({
    DATA_DIR: database.dataDir,
    DATABASE_URL: database.url,
    APP_SECRET: 'test-secret-that-is-long-enough-for-the-config-check',
    PUBLIC_URL: options.publicUrl ?? 'http://portico.test',
    ...options.env,
  });
  const ctx: AppContext = { config, db: database.db, now: () => clock.now };
  const app = await buildApp(ctx);
  await app.ready();
  return {
    ctx,
    app,
    database,
    clock,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

/** A signed-in business user: inject requests carry its cookie and CSRF token. */
export interface Actor {
  organizationId: string;
  userId: string;
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
}

let slugCounter = 0;

/**
 * The owner's choice of the sandbox gateway with permissive rules (POST /payment-gateways {kind: 'sandbox'} would
 * store the same): no organization takes online payments until its owner chose a gateway, and most tests pay with
 * the sandbox. Returns the gateway's id.
 */
export async function chooseSandbox(ctx: AppContext, organizationId: string): Promise<string> {
  const rules = structuredClone(PERMISSIVE_SANDBOX_RULES);
  const settings = { ...rules, addressFields: 'postal_code' as const, sandboxRules: rules };
  return (await saveGatewayConfig(ctx, organizationId, 'sandbox', settings)) as string;
}

/**
 * A new organization and its owner, signed in. It pays with the sandbox gateway (`chooseSandbox`) unless
 * `gateway: 'none'`, as an organization whose owner chose none.
 */
export async function createOrgAndSignIn(
  harness: Harness,
  overrides: Partial<Omit<NewOrganization, 'owner'>> & { ownerEmail?: string; gateway?: 'sandbox' | 'none' } = {},
): Promise<Actor> {
  slugCounter += 1;
  const email = overrides.ownerEmail ?? `owner${slugCounter}@example.com`;
  const { organizationId, userId } = await createOrganization(harness.ctx, {
    name: overrides.name ?? `Organization ${slugCounter}`,
    slug: overrides.slug ?? `org-${slugCounter}-${Math.random().toString(36).slice(2, 8)}`,
    baseCurrency: overrides.baseCurrency ?? 'USD',
    timeZone: overrides.timeZone ?? 'UTC',
    owner: { email, name: 'Owner', password: OWNER_PASSWORD },
  });
  if (overrides.gateway !== 'none') await chooseSandbox(harness.ctx, organizationId);
  return signIn(harness, email, OWNER_PASSWORD, { organizationId, userId });
}

export async function signIn(
  harness: Harness,
  email: string,
  password: string,
  ids: { organizationId: string; userId: string },
): Promise<Actor> {
  const response = await harness.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const csrfToken = (response.json() as { csrfToken: string }).csrfToken;
  return {
    ...ids,
    request: (options) =>
      harness.app.inject({
        ...options,
        headers: { cookie, 'x-csrf-token': csrfToken, ...(options.headers ?? {}) },
      }),
  };
}
