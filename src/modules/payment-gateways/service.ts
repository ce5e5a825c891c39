import type { Static } from 'typebox';
import { requireAdmin } from '../../auth/business-guard.js';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { currencyCodes } from '../../domain/currencies.js';
import { AppError, invalid, notFound } from '../../domain/errors.js';
import {
  type GatewayConfig,
  type GatewaySettingsInput,
  gatewayConfigById,
  gatewayConfigsOf,
  saveGatewayConfig,
} from '../../payments/gateway-config.js';
import { PERMISSIVE_SANDBOX_RULES, type SandboxRules } from '../../payments/sandbox/rules.js';
import { SANDBOX_TEST_CARDS } from '../../payments/sandbox/test-cards.js';
import { decryptSecret } from '../../payments/secret-box.js';
import type { PaymentGateway, PaymentGatewayInput, PaymentGatewayUpdate } from './schemas.js';

type View = Static<typeof PaymentGateway>;
type Input = Static<typeof PaymentGatewayInput> | Static<typeof PaymentGatewayUpdate>;

/** An organization configures a few gateways, not a list: a bound on what one admin can make it store. */
export const MAX_GATEWAYS = 10;

const testCards = () => Object.entries(SANDBOX_TEST_CARDS).map(([number, card]) => ({ number, outcome: card.outcome }));

function present(ctx: AppContext, config: GatewayConfig): View {
  const base = {
    id: config.id,
    kind: config.kind,
    position: config.position,
    testMode: config.testMode,
    currencies: config.currencies,
    minimumAmount: config.minimumAmount,
    referenceTransactions: config.referenceTransactions,
    recurring: config.recurring,
    addressFields: config.addressFields,
    // The sandbox delivers in-process; its URL is where an HTTP delivery would go.
    webhookUrl: new URL(`/api/webhooks/${config.kind}/${config.id}`, ctx.config.publicUrl).toString(),
    createdAt: config.createdAt,
    updatedAt: config.updatedAt,
  };
  if (config.kind === 'sandbox') {
    const { credentialsValid, fraudFilters, addressVerification, duplicateWindowSeconds } = config.rules;
    return {
      ...base,
      sandbox: { credentialsValid, fraudFilters, addressVerification, duplicateWindowSeconds, testCards: testCards() },
      stripe: null,
      paypal: null,
    };
  }
  let readable = config.credentialsEncrypted !== null;
  try {
    if (config.credentialsEncrypted)
      decryptSecret(ctx.config.appSecret, config.organizationId, config.credentialsEncrypted);
  } catch {
    readable = false;
  }
  if (config.kind === 'paypal') {
    return { ...base, sandbox: null, stripe: null, paypal: { ...config.hint, credentialsReadable: readable } };
  }
  return { ...base, sandbox: null, stripe: { ...config.hint, credentialsReadable: readable }, paypal: null };
}

/** The organization's gateways, in the order Pay Now tries them (owners and admins; secrets masked). */
export async function listGateways(ctx: AppContext, scope: OrgScope) {
  requireAdmin(scope);
  const configs = await gatewayConfigsOf(ctx, scope.organizationId);
  return { data: configs.map((config) => present(ctx, config)), nextCursor: null };
}

async function configOrNotFound(ctx: AppContext, scope: OrgScope, id: string): Promise<GatewayConfig> {
  const config = await gatewayConfigById(ctx, scope.organizationId, id);
  if (!config || config.removedAt) throw notFound('payment gateway');
  return config;
}

export async function getGateway(ctx: AppContext, scope: OrgScope, id: string): Promise<View> {
  requireAdmin(scope);
  return present(ctx, await configOrNotFound(ctx, scope, id));
}

/** The body as stored settings; every omitted setting takes its default. */
function settingsOf(ctx: AppContext, input: Input): GatewaySettingsInput {
  if (input.kind === 'sandbox' && ctx.config.production) {
    throw invalid(
      '/kind',
      'The sandbox gateway moves no money and is not available in production; configure a real gateway.',
    );
  }
  const known = new Set(currencyCodes());
  input.currencies?.forEach((currency, index) => {
    if (!known.has(currency)) throw invalid(`/currencies/${index}`, `${currency} is not a currency Portico knows.`);
  });
  const common = { currencies: input.currencies ?? null, minimumAmount: input.minimumAmount ?? 0 };
  if (input.kind === 'paypal') return paypalSettingsOf(common, input);
  const settings: GatewaySettingsInput = {
    ...common,
    referenceTransactions: input.referenceTransactions ?? true,
    recurring: input.recurring ?? true,
    addressFields: input.addressFields ?? 'postal_code',
  };
  if (input.kind === 'sandbox') {
    const rules: SandboxRules = {
      ...structuredClone(PERMISSIVE_SANDBOX_RULES),
      ...settings,
      ...(input.credentialsValid === undefined ? {} : { credentialsValid: input.credentialsValid }),
      ...(input.addressVerification === undefined ? {} : { addressVerification: input.addressVerification }),
      ...(input.duplicateWindowSeconds === undefined ? {} : { duplicateWindowSeconds: input.duplicateWindowSeconds }),
      fraudFilters: { ...PERMISSIVE_SANDBOX_RULES.fraudFilters, ...(input.fraudFilters ?? {}) },
    };
    return { ...settings, sandboxRules: rules };
  }
  if (input.secretKey !== undefined && input.webhookSecret !== undefined) {
    return { ...settings, stripe: { secretKey: input.secretKey, webhookSecret: input.webhookSecret } };
  }
  if (input.secretKey !== undefined || input.webhookSecret !== undefined) {
    throw invalid(
      input.secretKey === undefined ? '/secretKey' : '/webhookSecret',
      'Give both Stripe keys, or neither to keep the stored ones.',
    );
  }
  return settings;
}

/**
 * PayPal's settings: it keeps no cards on file in this build (so gateway choice sends saved cards and autopay
 * elsewhere, CP3001 / CP4002), and its four credentials come together or not at all (kept on an update).
 */
function paypalSettingsOf(
  common: Pick<GatewaySettingsInput, 'currencies' | 'minimumAmount'>,
  input: Extract<Input, { kind: 'paypal' }>,
): GatewaySettingsInput {
  const capabilities = {
    ...common,
    referenceTransactions: false,
    recurring: false,
    addressFields: 'postal_code' as const,
  };
  const { clientId, clientSecret, webhookId, environment } = input;
  if (clientId !== undefined && clientSecret !== undefined && webhookId !== undefined && environment !== undefined) {
    return { ...capabilities, paypal: { clientId, clientSecret, webhookId, environment } };
  }
  const given = (['clientId', 'clientSecret', 'webhookId', 'environment'] as const).find((k) => input[k] !== undefined);
  const missing = (['clientId', 'clientSecret', 'webhookId', 'environment'] as const).find(
    (k) => input[k] === undefined,
  );
  if (given && missing) {
    throw invalid(
      `/${missing}`,
      'Give all four PayPal settings (client id, secret, webhook id, environment), or none to keep the stored ones.',
    );
  }
  return capabilities;
}

/**
 * Adds a gateway (owners and admins). The count is checked and the row written in one transaction that first
 * locks the organization's row (PostgreSQL; SQLite's single connection is the single writer), so gateways added
 * at once never pass the bound together.
 */
export async function addGateway(ctx: AppContext, scope: OrgScope, input: Static<typeof PaymentGatewayInput>) {
  requireAdmin(scope);
  const settings = settingsOf(ctx, input);
  const id = await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .selectFrom('organizations')
      .select('id')
      .where('id', '=', scope.organizationId)
      .$if(ctx.db.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirstOrThrow();
    const { count } = await trx
      .selectFrom('paymentGateways')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('organizationId', '=', scope.organizationId)
      .where('removedAt', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(count) >= MAX_GATEWAYS) {
      throw new AppError('conflict', `An organization has at most ${MAX_GATEWAYS} payment gateways; remove one first.`);
    }
    return saveGatewayConfig(ctx, scope.organizationId, input.kind, settings, null, trx);
  });
  return getGateway(ctx, scope, id as string);
}

/** Replaces a gateway's settings (its kind stays; Stripe's and PayPal's credentials are kept when left out). */
export async function updateGateway(
  ctx: AppContext,
  scope: OrgScope,
  id: string,
  input: Static<typeof PaymentGatewayUpdate>,
) {
  requireAdmin(scope);
  const current = await configOrNotFound(ctx, scope, id);
  if (input.kind !== current.kind) {
    throw invalid('/kind', `This gateway is ${current.kind}: add a new gateway to use another kind.`);
  }
  const saved = await saveGatewayConfig(ctx, scope.organizationId, current.kind, settingsOf(ctx, input), id);
  if (!saved) throw notFound('payment gateway');
  return getGateway(ctx, scope, id);
}

/**
 * Moves a gateway to `position` (1 first) in the order Pay Now tries them; the others keep their order around it
 * and the whole set is numbered 1…n again. One transaction that first locks the organization's row (PostgreSQL;
 * SQLite's single connection is the single writer), so two moves at once apply one after the other.
 */
export async function moveGateway(ctx: AppContext, scope: OrgScope, id: string, position: number) {
  requireAdmin(scope);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .selectFrom('organizations')
      .select('id')
      .where('id', '=', scope.organizationId)
      .$if(ctx.db.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirstOrThrow();
    const order = await trx
      .selectFrom('paymentGateways')
      .select(['id', 'position'])
      .where('organizationId', '=', scope.organizationId)
      .where('removedAt', 'is', null)
      .orderBy('position')
      .orderBy('id')
      .execute();
    const moving = order.find((gateway) => gateway.id === id);
    if (!moving) throw notFound('payment gateway');
    if (position > order.length) {
      throw invalid(
        '/position',
        `There are ${order.length} payment gateways: choose a position from 1 to ${order.length}.`,
      );
    }
    const others = order.filter((gateway) => gateway.id !== id);
    const moved = [...others.slice(0, position - 1), moving, ...others.slice(position - 1)];
    const now = ctx.now().toISOString();
    for (const [index, gateway] of moved.entries()) {
      if (gateway.position === index + 1) continue;
      await trx
        .updateTable('paymentGateways')
        .set({ position: index + 1, updatedAt: now })
        .where('id', '=', gateway.id)
        .execute();
    }
  });
  return listGateways(ctx, scope);
}

/**
 * Removes a gateway: it takes no new payment and saves no card from now on. Its row stays, so the payments it
 * started still finish through it (webhooks, return pages, the reconciler, refunds); cards it saved for autopay
 * are no longer charged (each automatic charge fails, and the client and the business are told).
 */
export async function removeGateway(ctx: AppContext, scope: OrgScope, id: string): Promise<void> {
  requireAdmin(scope);
  const now = ctx.now().toISOString();
  const removed = await ctx.db.kysely
    .updateTable('paymentGateways')
    .set({ removedAt: now, updatedAt: now })
    .where('id', '=', id)
    .where('organizationId', '=', scope.organizationId)
    .where('removedAt', 'is', null)
    .executeTakeFirst();
  if (removed.numUpdatedRows === 0n) throw notFound('payment gateway');
}
