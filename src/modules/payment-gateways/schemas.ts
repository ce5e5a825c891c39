import { Type } from 'typebox';
import { Currency, Nullable, Timestamp } from '../../http/schemas.js';
import { SandboxRulesSchema } from '../../payments/sandbox/rules.js';

/** What every gateway says it takes, whatever its kind: Pay Now picks among the gateways by these. */
const capabilities = {
  currencies: Type.Optional(
    Nullable(
      Type.Array(Currency, {
        minItems: 1,
        maxItems: 200,
        description: 'The currencies it takes (CP4003 when no gateway takes one); null or omitted: every currency.',
      }),
    ),
  ),
  minimumAmount: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 9_000_000_000_000,
      description:
        "Minor units of the payment's currency; a smaller payment goes to another gateway, else CP4001. 0 by default.",
    }),
  ),
  referenceTransactions: Type.Optional(
    Type.Boolean({ description: 'Saves cards for later charges (CP3001 when no gateway does). True by default.' }),
  ),
  recurring: Type.Optional(
    Type.Boolean({
      description:
        "Charges saved cards for recurring profiles' automatic payments (CP4002 when none does). True by default.",
    }),
  ),
  addressFields: Type.Optional(
    Type.Union([Type.Literal('postal_code'), Type.Literal('full_address')], {
      description:
        'Card verification: what the payment page asks for — the postal code (default) or the whole billing address (CP3004 when the gateway cannot verify it).',
    }),
  ),
};

/** The sandbox merchant account's own rules (its capabilities are the gateway's, above). */
const sandboxOnly = {
  credentialsValid: Type.Optional(SandboxRulesSchema.properties.credentialsValid),
  fraudFilters: Type.Optional(
    Type.Partial(SandboxRulesSchema.properties.fraudFilters, { additionalProperties: false }),
  ),
  addressVerification: Type.Optional(SandboxRulesSchema.properties.addressVerification),
  duplicateWindowSeconds: Type.Optional(SandboxRulesSchema.properties.duplicateWindowSeconds),
};

const stripeKeys = {
  secretKey: Type.String({
    pattern: '^(sk|rk)_(test|live)_[A-Za-z0-9]{8,247}$',
    description: 'The secret (sk_…) or restricted (rk_…) API key; stored encrypted, never shown again.',
  }),
  webhookSecret: Type.String({
    pattern: '^whsec_[A-Za-z0-9]{8,250}$',
    description: "The webhook endpoint's signing secret; stored encrypted, never shown again.",
  }),
};

const paypalKeys = {
  clientId: Type.String({
    pattern: '^[A-Za-z0-9_-]{16,128}$',
    description: "The REST app's client id (PayPal Developer Dashboard → Apps & Credentials); stored encrypted.",
  }),
  clientSecret: Type.String({
    pattern: '^[A-Za-z0-9_-]{16,128}$',
    description: "The REST app's secret; stored encrypted, never shown again.",
  }),
  webhookId: Type.String({
    pattern: '^[A-Z0-9]{10,40}$',
    description:
      "The id PayPal shows for the webhook made for this gateway's webhookUrl; PayPal verifies each event with it.",
  }),
  environment: Type.Union([Type.Literal('sandbox'), Type.Literal('live')], {
    description: "PayPal's sandbox (test mode: no money moves) or live.",
  }),
};

/** PayPal takes what the business says of currencies and a minimum; it keeps no cards on file in this build. */
const paypalCapabilities = { currencies: capabilities.currencies, minimumAmount: capabilities.minimumAmount };

/** POST /payment-gateways: a new gateway. Omitted settings take their default. */
export const PaymentGatewayInput = Type.Union([
  Type.Object({ kind: Type.Literal('sandbox'), ...capabilities, ...sandboxOnly }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('stripe'), ...capabilities, ...stripeKeys }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('paypal'), ...paypalCapabilities, ...paypalKeys }, { additionalProperties: false }),
]);

/**
 * PUT /payment-gateways/{id}: the gateway's whole settings (omitted ones take their default); its kind stays.
 * Stripe's keys, or PayPal's four settings, may be left out together to keep the stored ones.
 */
export const PaymentGatewayUpdate = Type.Union([
  Type.Object({ kind: Type.Literal('sandbox'), ...capabilities, ...sandboxOnly }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('stripe'),
      ...capabilities,
      secretKey: Type.Optional(stripeKeys.secretKey),
      webhookSecret: Type.Optional(stripeKeys.webhookSecret),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('paypal'),
      ...paypalCapabilities,
      clientId: Type.Optional(paypalKeys.clientId),
      clientSecret: Type.Optional(paypalKeys.clientSecret),
      webhookId: Type.Optional(paypalKeys.webhookId),
      environment: Type.Optional(paypalKeys.environment),
    },
    { additionalProperties: false },
  ),
]);

export const PaymentGateway = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('sandbox'), Type.Literal('stripe'), Type.Literal('paypal')]),
  position: Type.Integer({
    description: 'Pay Now tries the gateways in this order: 1 first (the order they were added in).',
  }),
  testMode: Type.Boolean({
    description:
      "Test mode: payments move no money (the sandbox; Stripe with sk_test_/rk_test_ keys; PayPal's sandbox). They are recorded with `testMode: true`.",
  }),
  currencies: Nullable(Type.Array(Type.String())),
  minimumAmount: Type.Integer(),
  referenceTransactions: Type.Boolean(),
  recurring: Type.Boolean(),
  addressFields: Type.Union([Type.Literal('postal_code'), Type.Literal('full_address')]),
  /**
   * The sandbox's merchant rules (fraud filters, address verification, …) and its test cards. Stripe's fraud
   * filters (Radar) and address checks are set in Stripe's Dashboard.
   */
  sandbox: Nullable(
    Type.Object({
      credentialsValid: Type.Boolean(),
      fraudFilters: SandboxRulesSchema.properties.fraudFilters,
      addressVerification: Type.Boolean(),
      duplicateWindowSeconds: Type.Integer(),
      testCards: Type.Array(Type.Object({ number: Type.String(), outcome: Type.String() })),
    }),
  ),
  stripe: Nullable(
    Type.Object({
      secretKey: Type.String({ description: 'Masked: sk_test_…1234.' }),
      webhookSecret: Type.String({ description: 'Masked: whsec_…abcd.' }),
      /** False when APP_SECRET changed since the credentials were stored: enter them again. */
      credentialsReadable: Type.Boolean(),
    }),
  ),
  paypal: Nullable(
    Type.Object({
      clientId: Type.String({ description: 'Masked: …abcd.' }),
      clientSecret: Type.String({ description: 'Masked: …abcd.' }),
      webhookId: Type.String(),
      environment: Type.Union([Type.Literal('sandbox'), Type.Literal('live')]),
      /** False when APP_SECRET changed since the credentials were stored: enter them again. */
      credentialsReadable: Type.Boolean(),
    }),
  ),
  /** Where the gateway should send its webhooks. */
  webhookUrl: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** POST /payment-gateways/{id}/position: where Pay Now tries this gateway among the others. */
export const PaymentGatewayPosition = Type.Object(
  {
    position: Type.Integer({
      minimum: 1,
      maximum: 10,
      description:
        'Its place in the order, 1 first; the others keep their order around it. At most the number of gateways.',
    }),
  },
  { additionalProperties: false },
);

export const PaymentGatewayList = Type.Object({
  data: Type.Array(PaymentGateway),
  /** The gateways are few (at most MAX_GATEWAYS): always one page. */
  nextCursor: Type.Null(),
});
