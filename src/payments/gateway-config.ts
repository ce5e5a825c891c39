import type { AppContext } from '../context.js';
import { type GatewayKind, isStripeTestKey, type PaymentGateway } from './gateway.js';
import { PERMISSIVE_SANDBOX_RULES, type SandboxRules, sandboxRulesFrom } from './sandbox/rules.js';
import { SandboxGateway } from './sandbox/sandbox-gateway.js';
import { decryptSecret, encryptSecret, maskSecret } from './secret-box.js';
import { type StripeCredentials, type StripeEndpoint, StripeGateway } from './stripe-gateway.js';

/**
 * Which gateway an organization uses: only the one its owner chose, the row in `payment_gateways`
 * (PUT /api/v1/payment-gateway). Without a row the organization takes no online payments — in development too:
 * the sandbox is never a silent default (a forgotten NODE_ENV must not turn real clients' payments into pretend
 * ones). The sandbox never runs in production, even when configured: its payments move no money.
 */
export type GatewayConfig =
  | { kind: 'sandbox'; rules: SandboxRules; updatedAt: string }
  | {
      kind: 'stripe';
      credentials: StripeCredentials;
      hint: { secretKey: string; webhookSecret: string };
      updatedAt: string;
    };

/**
 * Test mode: the gateway's payments move no money (the sandbox, Stripe test keys). Every page, payment, receipt,
 * PDF and e-mail they touch says so, and their payments are kept apart from real money (`customer_payments.test_mode`).
 */
export function isTestMode(config: GatewayConfig): boolean {
  return config.kind === 'sandbox' || isStripeTestKey(config.credentials.secretKey);
}

export async function loadGatewayConfig(ctx: AppContext, organizationId: string): Promise<GatewayConfig | null> {
  const row = await ctx.db.kysely
    .selectFrom('paymentGateways')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .executeTakeFirst();
  if (row?.kind === 'stripe' && row.credentialsEncrypted) {
    const credentials = JSON.parse(
      decryptSecret(ctx.config.appSecret, organizationId, row.credentialsEncrypted),
    ) as StripeCredentials;
    return {
      kind: 'stripe',
      credentials,
      hint: JSON.parse(row.credentialsHint ?? '{}'),
      updatedAt: row.updatedAt,
    };
  }
  if (row?.kind === 'sandbox' && !ctx.config.production) {
    return { kind: 'sandbox', rules: sandboxRulesFrom(row.sandboxRules), updatedAt: row.updatedAt };
  }
  return null;
}

/** Whether the organization takes online payments, and whether they are real: what the portal shows. */
export type OnlinePayments = 'off' | 'test' | 'live';

export async function onlinePaymentsOf(ctx: AppContext, organizationId: string): Promise<OnlinePayments> {
  const config = await loadGatewayConfig(ctx, organizationId);
  if (!config) return 'off';
  return isTestMode(config) ? 'test' : 'live';
}

export type GatewaySettingsInput =
  | { kind: 'sandbox'; rules: SandboxRules }
  | { kind: 'stripe'; credentials: StripeCredentials };

/** Replaces the organization's gateway. Secrets are encrypted under APP_SECRET, bound to the organization. */
export async function saveGatewayConfig(
  ctx: AppContext,
  organizationId: string,
  input: GatewaySettingsInput,
): Promise<void> {
  const now = ctx.now().toISOString();
  const values =
    input.kind === 'sandbox'
      ? {
          kind: 'sandbox' as GatewayKind,
          sandboxRules: JSON.stringify(input.rules),
          credentialsEncrypted: null,
          credentialsHint: null,
        }
      : {
          kind: 'stripe' as GatewayKind,
          sandboxRules: null,
          credentialsEncrypted: encryptSecret(ctx.config.appSecret, organizationId, JSON.stringify(input.credentials)),
          credentialsHint: JSON.stringify({
            secretKey: maskSecret(input.credentials.secretKey),
            webhookSecret: maskSecret(input.credentials.webhookSecret),
          }),
        };
  await ctx.db.kysely
    .insertInto('paymentGateways')
    .values({ organizationId, ...values, createdAt: now, updatedAt: now })
    .onConflict((oc) => oc.column('organizationId').doUpdateSet({ ...values, updatedAt: now }))
    .execute();
}

const stripeEndpoints = new WeakMap<AppContext, StripeEndpoint>();

/** Points every Stripe client of this context at another server (tests: a local fake). */
export function setStripeEndpoint(ctx: AppContext, endpoint: StripeEndpoint | null): void {
  if (endpoint) stripeEndpoints.set(ctx, endpoint);
  else stripeEndpoints.delete(ctx);
}

/**
 * The organization's payment gateway, or null when it has none (nothing configured, or the sandbox in
 * production) — Pay Now answers that with a 409 CP4003 ("no configured gateway supports the transaction currency").
 */
export async function gatewayFor(ctx: AppContext, organizationId: string): Promise<PaymentGateway | null> {
  const config = await loadGatewayConfig(ctx, organizationId);
  if (!config) return null;
  if (config.kind === 'stripe') {
    return new StripeGateway(ctx, organizationId, config.credentials, stripeEndpoints.get(ctx));
  }
  return new SandboxGateway(ctx, organizationId, config.rules);
}

/**
 * The sandbox for this organization (its hosted pages, its webhooks), or null in production. With its current
 * rules while it is the configured gateway; after a switch to Stripe, permissive rules, so that pages and events of
 * charges made before the switch still finish.
 */
export async function sandboxGatewayFor(ctx: AppContext, organizationId: string): Promise<SandboxGateway | null> {
  if (ctx.config.production) return null;
  const config = await loadGatewayConfig(ctx, organizationId);
  const rules = config?.kind === 'sandbox' ? config.rules : structuredClone(PERMISSIVE_SANDBOX_RULES);
  return new SandboxGateway(ctx, organizationId, rules);
}

/**
 * The gateway that verifies a webhook addressed to `/api/webhooks/{kind}/{organizationId}`: by the kind in the
 * URL, not the current configuration, so events of a charge made before a switch of gateway still verify.
 * Null when that gateway is not available to the organization (no Stripe credentials; sandbox in production).
 */
export async function webhookVerifierFor(
  ctx: AppContext,
  organizationId: string,
  kind: GatewayKind,
): Promise<Pick<PaymentGateway, 'verifyWebhook'> | null> {
  if (kind === 'sandbox') return sandboxGatewayFor(ctx, organizationId);
  const config = await loadGatewayConfig(ctx, organizationId);
  return config?.kind === 'stripe' ? new StripeGateway(ctx, organizationId, config.credentials) : null;
}
