import { Type } from 'typebox';
import { SandboxRulesInputSchema, SandboxRulesSchema } from '../../payments/sandbox/rules.js';

/** PUT /payment-gateway: the whole configuration; omitted sandbox rules take their permissive default. */
export const PaymentGatewayInput = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('sandbox'),
      rules: Type.Optional(SandboxRulesInputSchema),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('stripe'),
      secretKey: Type.String({
        pattern: '^(sk|rk)_(test|live)_[A-Za-z0-9]{8,247}$',
        description: 'The secret (sk_…) or restricted (rk_…) API key; stored encrypted, never shown again.',
      }),
      webhookSecret: Type.String({
        pattern: '^whsec_[A-Za-z0-9]{8,250}$',
        description: "The webhook endpoint's signing secret; stored encrypted, never shown again.",
      }),
    },
    { additionalProperties: false },
  ),
]);

export const PaymentGatewaySettings = Type.Object({
  kind: Type.Union([Type.Literal('sandbox'), Type.Literal('stripe'), Type.Null()]),
  source: Type.Union([Type.Literal('configured'), Type.Literal('none')], {
    description:
      '`none`: no gateway, online payments are off (nothing configured, or the sandbox in production). There is no default gateway.',
  }),
  testMode: Type.Boolean({
    description:
      'Test mode: payments move no money (the sandbox; Stripe with sk_test_/rk_test_ keys). They are recorded with `testMode: true`.',
  }),
  sandbox: Type.Union([
    Type.Object({
      rules: SandboxRulesSchema,
      testCards: Type.Array(Type.Object({ number: Type.String(), outcome: Type.String() })),
    }),
    Type.Null(),
  ]),
  stripe: Type.Union([
    Type.Object({
      secretKey: Type.String({ description: 'Masked: sk_test_…1234.' }),
      webhookSecret: Type.String({ description: 'Masked: whsec_…abcd.' }),
      /** False when APP_SECRET changed since the credentials were stored: enter them again. */
      credentialsReadable: Type.Boolean(),
    }),
    Type.Null(),
  ]),
  /** Where the gateway should send its webhooks. */
  webhookUrl: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
});
