import type { AppContext } from '../context.js';
import { newId } from '../db/ids.js';
import type { PaymentGatewaysTable } from '../db/schema.js';
import { type GatewayKind, isStripeTestKey, type PaymentGateway } from './gateway.js';
import type { GatewayCapabilities } from './gateway-choice.js';
import { type PayPalCredentials, PayPalGateway } from './paypal/paypal-gateway.js';
import { PERMISSIVE_SANDBOX_RULES, type SandboxRules, sandboxRulesFrom } from './sandbox/rules.js';
import { SandboxGateway } from './sandbox/sandbox-gateway.js';
import { decryptSecret, encryptSecret, maskSecret, SecretDecryptionError } from './secret-box.js';
import { type StripeCredentials, type StripeEndpoint, StripeGateway } from './stripe-gateway.js';

/**
 * The organization's payment gateways: only those its owner chose, the rows of `payment_gateways` (business API
 * `/api/v1/payment-gateways`). Without one the organization takes no online payments — in development too: the
 * sandbox is never a silent default (a forgotten NODE_ENV must not turn real clients' payments into pretend ones).
 * The sandbox never runs in production, even when configured: its payments move no money.
 * Each gateway says what it takes (currencies, minimum, saved cards, recurring); Pay Now and autopay pick one with
 * `chooseGateway`, and the attempt or the saved card keeps its id, so the same gateway finishes what it started.
 */

export type AddressFields = PaymentGatewaysTable['addressFields'];

interface GatewayBase extends GatewayCapabilities {
  id: string;
  position: number;
  organizationId: string;
  addressFields: AddressFields;
  /** Test mode: its payments move no money (the sandbox, Stripe test keys). */
  testMode: boolean;
  removedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type GatewayConfig =
  | (GatewayBase & { kind: 'sandbox'; rules: SandboxRules })
  | (GatewayBase & {
      kind: 'stripe';
      /** Sealed under APP_SECRET; opened only when the gateway is used (`gatewayFrom`). */
      credentialsEncrypted: string | null;
      hint: { secretKey: string; webhookSecret: string };
    })
  | (GatewayBase & {
      kind: 'paypal';
      /** Sealed under APP_SECRET; opened only when the gateway is used (`gatewayFrom`). */
      credentialsEncrypted: string | null;
      /** The masked client id and secret, the webhook's id (not a secret) and the environment. */
      hint: PayPalHint;
    });

/** What the business sees of its PayPal credentials. */
export interface PayPalHint {
  clientId: string;
  clientSecret: string;
  webhookId: string;
  environment: PayPalCredentials['environment'];
}

type GatewayRow = Omit<PaymentGatewaysTable, 'minimumAmount'> & { minimumAmount: number | string | bigint };

/** A row as a configuration; null for the sandbox in production (it moves no money: it does not exist there). */
function configOf(ctx: AppContext, row: GatewayRow): GatewayConfig | null {
  const base: GatewayBase = {
    id: row.id,
    position: row.position,
    organizationId: row.organizationId,
    currencies: row.currencies ? (JSON.parse(row.currencies) as string[]) : null,
    minimumAmount: Number(row.minimumAmount),
    referenceTransactions: row.referenceTransactions === 1,
    recurring: row.recurring === 1,
    addressFields: row.addressFields,
    testMode: true,
    removedAt: row.removedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
  if (row.kind === 'stripe') {
    const hint = JSON.parse(row.credentialsHint ?? '{}') as { secretKey?: string; webhookSecret?: string };
    return {
      ...base,
      kind: 'stripe',
      testMode: isStripeTestKey(hint.secretKey ?? ''),
      credentialsEncrypted: row.credentialsEncrypted,
      hint: { secretKey: hint.secretKey ?? '', webhookSecret: hint.webhookSecret ?? '' },
    };
  }
  if (row.kind === 'paypal') {
    const hint = JSON.parse(row.credentialsHint ?? '{}') as Partial<PayPalHint>;
    const environment = hint.environment === 'live' ? 'live' : 'sandbox';
    return {
      ...base,
      kind: 'paypal',
      // PayPal keeps no cards on file in this build: gateway choice never sends it a card to save (CP3001, CP4002).
      referenceTransactions: false,
      recurring: false,
      // PayPal's sandbox moves no money.
      testMode: environment === 'sandbox',
      credentialsEncrypted: row.credentialsEncrypted,
      hint: {
        clientId: hint.clientId ?? '',
        clientSecret: hint.clientSecret ?? '',
        webhookId: hint.webhookId ?? '',
        environment,
      },
    };
  }
  if (ctx.config.production) return null;
  // The sandbox's merchant account enforces what the gateway says it takes, plus its own rules.
  const rules: SandboxRules = {
    ...sandboxRulesFrom(row.sandboxRules),
    currencies: base.currencies,
    minimumAmount: base.minimumAmount,
    referenceTransactions: base.referenceTransactions,
    recurring: base.recurring,
  };
  return { ...base, kind: 'sandbox', rules };
}

/** The organization's gateways in the order Pay Now tries them (`position`); removed ones only when asked. */
export async function gatewayConfigsOf(
  ctx: AppContext,
  organizationId: string,
  options: { withRemoved?: boolean } = {},
): Promise<GatewayConfig[]> {
  const rows = await ctx.db.kysely
    .selectFrom('paymentGateways')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .$if(!options.withRemoved, (q) => q.where('removedAt', 'is', null))
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map((row) => configOf(ctx, row)).filter((config) => config !== null);
}

/** One gateway by id, removed or not (it still finishes its attempts); null when unknown or unavailable. */
export async function gatewayConfigById(
  ctx: AppContext,
  organizationId: string,
  gatewayId: string,
): Promise<GatewayConfig | null> {
  const row = await ctx.db.kysely
    .selectFrom('paymentGateways')
    .selectAll()
    .where('id', '=', gatewayId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst();
  return row ? configOf(ctx, row) : null;
}

/** Whether the organization takes online payments, and whether they are real: what the portal shows. */
export type OnlinePayments = 'off' | 'test' | 'live';

/**
 * From the whole set: off without a gateway; test while any gateway is in test mode (a client must never take a
 * test payment for a real one, so the portal's banner stays up until every gateway moves real money); else live.
 */
export async function onlinePaymentsOf(ctx: AppContext, organizationId: string): Promise<OnlinePayments> {
  const configs = await gatewayConfigsOf(ctx, organizationId);
  if (configs.length === 0) return 'off';
  return configs.some((config) => config.testMode) ? 'test' : 'live';
}

export interface GatewaySettingsInput extends GatewayCapabilities {
  addressFields: AddressFields;
  /** The sandbox's own rules (its capabilities come from the fields above); absent for other gateways. */
  sandboxRules?: SandboxRules;
  /** Stripe's keys; absent on an update that keeps the stored ones. */
  stripe?: StripeCredentials;
  /** PayPal's app credentials and webhook; absent on an update that keeps the stored ones. */
  paypal?: PayPalCredentials;
}

/** The sealed credentials and what the business sees of them; `{}` (keep the stored ones) when none are given. */
function credentialsOf(ctx: AppContext, organizationId: string, kind: GatewayKind, input: GatewaySettingsInput) {
  const seal = (credentials: StripeCredentials | PayPalCredentials) =>
    encryptSecret(ctx.config.appSecret, organizationId, JSON.stringify(credentials));
  if (input.stripe) {
    return {
      credentialsEncrypted: seal(input.stripe),
      credentialsHint: JSON.stringify({
        secretKey: maskSecret(input.stripe.secretKey),
        webhookSecret: maskSecret(input.stripe.webhookSecret),
      }),
    };
  }
  if (input.paypal) {
    const hint: PayPalHint = {
      clientId: maskSecret(input.paypal.clientId),
      clientSecret: maskSecret(input.paypal.clientSecret),
      webhookId: input.paypal.webhookId,
      environment: input.paypal.environment,
    };
    return { credentialsEncrypted: seal(input.paypal), credentialsHint: JSON.stringify(hint) };
  }
  return kind === 'sandbox' ? { credentialsEncrypted: null, credentialsHint: null } : {};
}

/**
 * Writes one gateway: a new one when `gatewayId` is null, else the organization's gateway of that id (false when
 * there is none). Secrets are encrypted under APP_SECRET, bound to the organization.
 */
export async function saveGatewayConfig(
  ctx: AppContext,
  organizationId: string,
  kind: GatewayKind,
  input: GatewaySettingsInput,
  gatewayId: string | null = null,
  trx = ctx.db.kysely,
): Promise<string | null> {
  const now = ctx.now().toISOString();
  const values = {
    kind,
    currencies: input.currencies ? JSON.stringify([...new Set(input.currencies)].sort()) : null,
    minimumAmount: input.minimumAmount,
    referenceTransactions: input.referenceTransactions ? 1 : 0,
    recurring: input.recurring ? 1 : 0,
    addressFields: input.addressFields,
    sandboxRules: input.sandboxRules ? JSON.stringify(input.sandboxRules) : null,
    ...credentialsOf(ctx, organizationId, kind, input),
    updatedAt: now,
  };
  if (gatewayId === null) {
    const id = newId('gw');
    // After the organization's last gateway; the caller's transaction serializes additions (addGateway).
    const { last } = await trx
      .selectFrom('paymentGateways')
      .select((eb) => eb.fn.max('position').as('last'))
      .where('organizationId', '=', organizationId)
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('paymentGateways')
      .values({
        id,
        organizationId,
        position: Number(last ?? 0) + 1,
        credentialsEncrypted: null,
        credentialsHint: null,
        removedAt: null,
        createdAt: now,
        ...values,
      })
      .execute();
    return id;
  }
  const updated = await trx
    .updateTable('paymentGateways')
    .set(values)
    .where('id', '=', gatewayId)
    .where('organizationId', '=', organizationId)
    .where('removedAt', 'is', null)
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n ? gatewayId : null;
}

const stripeEndpoints = new WeakMap<AppContext, StripeEndpoint>();

/** Points every Stripe client of this context at another server (tests: a local fake). */
export function setStripeEndpoint(ctx: AppContext, endpoint: StripeEndpoint | null): void {
  if (endpoint) stripeEndpoints.set(ctx, endpoint);
  else stripeEndpoints.delete(ctx);
}

const paypalOrigins = new WeakMap<AppContext, string>();

/** Points every PayPal client of this context at another server (tests: a local fake, `http://127.0.0.1:port`). */
export function setPayPalEndpoint(ctx: AppContext, origin: string | null): void {
  if (origin) paypalOrigins.set(ctx, origin);
  else paypalOrigins.delete(ctx);
}

/** The gateway a configuration describes. Throws SecretDecryptionError when APP_SECRET changed since it was saved. */
export function gatewayFrom(ctx: AppContext, config: GatewayConfig): PaymentGateway {
  if (config.kind === 'sandbox') return new SandboxGateway(ctx, config.organizationId, config.rules);
  if (!config.credentialsEncrypted) throw new Error(`Gateway ${config.id} has no credentials.`);
  const opened = decryptSecret(ctx.config.appSecret, config.organizationId, config.credentialsEncrypted);
  if (config.kind === 'paypal') {
    return new PayPalGateway(ctx, JSON.parse(opened) as PayPalCredentials, paypalOrigins.get(ctx));
  }
  const credentials = JSON.parse(opened) as StripeCredentials;
  return new StripeGateway(ctx, config.organizationId, credentials, stripeEndpoints.get(ctx), {
    addressFields: config.addressFields,
  });
}

/** The gateway of that id (removed or not), or null when it is unknown or unavailable (the sandbox in production). */
export async function gatewayById(
  ctx: AppContext,
  organizationId: string,
  gatewayId: string | null,
): Promise<PaymentGateway | null> {
  if (!gatewayId) return null;
  const config = await gatewayConfigById(ctx, organizationId, gatewayId);
  return config ? gatewayFrom(ctx, config) : null;
}

/**
 * The sandbox for this organization (its hosted pages, its webhooks), or null in production. With the rules of the
 * sandbox gateway that made the charge of `reference` (a payment attempt, or an autopay card being saved), else of
 * the organization's first sandbox gateway; with permissive rules when it has none left, so that pages and events
 * of charges made before a switch still finish.
 */
export async function sandboxGatewayFor(
  ctx: AppContext,
  organizationId: string,
  reference: string | null = null,
): Promise<SandboxGateway | null> {
  if (ctx.config.production) return null;
  const madeBy = reference ? await gatewayIdOfReference(ctx, organizationId, reference) : null;
  const own = madeBy ? await gatewayConfigById(ctx, organizationId, madeBy) : null;
  const sandbox =
    own?.kind === 'sandbox'
      ? own
      : (await gatewayConfigsOf(ctx, organizationId)).find((config) => config.kind === 'sandbox');
  const rules = sandbox?.kind === 'sandbox' ? sandbox.rules : structuredClone(PERMISSIVE_SANDBOX_RULES);
  return new SandboxGateway(ctx, organizationId, rules);
}

/** The gateway a charge's reference was made through: its payment attempt's, or its autopay card's. */
async function gatewayIdOfReference(ctx: AppContext, organizationId: string, reference: string) {
  const table = reference.startsWith('apc_') ? 'autopayCards' : 'paymentAttempts';
  const row = await ctx.db.kysely
    .selectFrom(table)
    .select('gatewayId')
    .where('id', '=', reference)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst();
  return row?.gatewayId ?? null;
}

/**
 * The gateways that may have signed a webhook: the one the URL names (`/api/webhooks/{kind}/{gatewayId}`), or, for
 * the URL of before several gateways (`/api/webhooks/{kind}/{organizationId}`), each of the organization's gateways
 * of that kind, removed ones too (events of a charge made before a change still verify). The sandbox verifies by
 * the organization alone. Empty when there is none.
 */
export async function webhookVerifiersFor(
  ctx: AppContext,
  kind: GatewayKind,
  target: string,
): Promise<Array<{ organizationId: string; verifier: Pick<PaymentGateway, 'verifyWebhook'> }>> {
  let configs: GatewayConfig[];
  if (target.startsWith('gw_')) {
    const row = await ctx.db.kysely
      .selectFrom('paymentGateways')
      .selectAll()
      .where('id', '=', target)
      .executeTakeFirst();
    const config = row ? configOf(ctx, row) : null;
    configs = config ? [config] : [];
  } else {
    configs = await gatewayConfigsOf(ctx, target, { withRemoved: true });
  }
  const organizationId = configs[0]?.organizationId ?? target;
  if (kind === 'sandbox') {
    if (target.startsWith('gw_') && configs[0]?.kind !== 'sandbox') return [];
    const sandbox = await sandboxGatewayFor(ctx, organizationId);
    return sandbox ? [{ organizationId, verifier: sandbox }] : [];
  }
  const verifiers = [];
  for (const config of configs) {
    if (config.kind !== kind || !config.credentialsEncrypted) continue;
    try {
      verifiers.push({ organizationId: config.organizationId, verifier: gatewayFrom(ctx, config) });
    } catch (error) {
      // Sealed under another APP_SECRET: it cannot verify anything until the business enters its keys again.
      if (!(error instanceof SecretDecryptionError)) throw error;
    }
  }
  return verifiers;
}
