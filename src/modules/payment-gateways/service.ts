import type { Static } from 'typebox';
import { requireAdmin } from '../../auth/business-guard.js';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { invalid } from '../../domain/errors.js';
import { isStripeTestKey } from '../../payments/gateway.js';
import { loadGatewayConfig, saveGatewayConfig } from '../../payments/gateway-config.js';
import { PERMISSIVE_SANDBOX_RULES, type SandboxRules } from '../../payments/sandbox/rules.js';
import { SANDBOX_TEST_CARDS } from '../../payments/sandbox/test-cards.js';
import { decryptSecret } from '../../payments/secret-box.js';
import type { PaymentGatewayInput, PaymentGatewaySettings } from './schemas.js';

type Settings = Static<typeof PaymentGatewaySettings>;

const testCards = () => Object.entries(SANDBOX_TEST_CARDS).map(([number, card]) => ({ number, outcome: card.outcome }));

function webhookUrl(ctx: AppContext, kind: 'sandbox' | 'stripe', organizationId: string): string {
  return new URL(`/api/webhooks/${kind}/${organizationId}`, ctx.config.publicUrl).toString();
}

/** The organization's gateway as the business sees it: which one, its rules, masked credentials only. */
export async function getGatewaySettings(ctx: AppContext, scope: OrgScope): Promise<Settings> {
  requireAdmin(scope);
  const row = await ctx.db.kysely
    .selectFrom('paymentGateways')
    .selectAll()
    .where('organizationId', '=', scope.organizationId)
    .executeTakeFirst();
  if (row?.kind === 'stripe') {
    let readable = true;
    try {
      if (row.credentialsEncrypted) decryptSecret(ctx.config.appSecret, scope.organizationId, row.credentialsEncrypted);
      else readable = false;
    } catch {
      readable = false;
    }
    const hint = JSON.parse(row.credentialsHint ?? '{}') as { secretKey?: string; webhookSecret?: string };
    return {
      kind: 'stripe',
      source: 'configured',
      testMode: isStripeTestKey(hint.secretKey ?? ''),
      sandbox: null,
      stripe: {
        secretKey: hint.secretKey ?? '',
        webhookSecret: hint.webhookSecret ?? '',
        credentialsReadable: readable,
      },
      webhookUrl: webhookUrl(ctx, 'stripe', scope.organizationId),
      updatedAt: row.updatedAt,
    };
  }
  const config = await loadGatewayConfig(ctx, scope.organizationId);
  if (config?.kind !== 'sandbox') {
    return {
      kind: null,
      source: 'none',
      testMode: false,
      sandbox: null,
      stripe: null,
      webhookUrl: null,
      updatedAt: row?.updatedAt ?? null,
    };
  }
  return {
    kind: 'sandbox',
    source: 'configured',
    testMode: true,
    sandbox: { rules: config.rules, testCards: testCards() },
    stripe: null,
    // The sandbox delivers in-process; the URL is where an HTTP delivery would go.
    webhookUrl: webhookUrl(ctx, 'sandbox', scope.organizationId),
    updatedAt: config.updatedAt,
  };
}

/** Replaces the organization's gateway (owners and admins). */
export async function putGatewaySettings(
  ctx: AppContext,
  scope: OrgScope,
  input: Static<typeof PaymentGatewayInput>,
): Promise<Settings> {
  requireAdmin(scope);
  if (input.kind === 'sandbox') {
    if (ctx.config.production) {
      throw invalid(
        '/kind',
        'The sandbox gateway moves no money and is not available in production; configure a real gateway.',
      );
    }
    const given = input.rules ?? {};
    const rules: SandboxRules = {
      ...structuredClone(PERMISSIVE_SANDBOX_RULES),
      ...given,
      fraudFilters: { ...PERMISSIVE_SANDBOX_RULES.fraudFilters, ...(given.fraudFilters ?? {}) },
      currencies: given.currencies === undefined ? null : given.currencies && [...new Set(given.currencies)].sort(),
    };
    await saveGatewayConfig(ctx, scope.organizationId, { kind: 'sandbox', rules });
  } else {
    await saveGatewayConfig(ctx, scope.organizationId, {
      kind: 'stripe',
      credentials: { secretKey: input.secretKey, webhookSecret: input.webhookSecret },
    });
  }
  return getGatewaySettings(ctx, scope);
}
