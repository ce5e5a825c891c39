import { type Static, Type } from 'typebox';

/**
 * The sandbox merchant account's rules: what a real merchant account decides about its payments. Each rule that
 * refuses a payment does so with the CP code of PRODUCT.md §6.
 */
export const SandboxRulesSchema = Type.Object(
  {
    /** false: every call fails with CP3002, as with wrong or revoked credentials. */
    credentialsValid: Type.Boolean(),
    /** ISO 4217 codes the account accepts (CP4003 otherwise); null accepts every currency. */
    currencies: Type.Union([Type.Array(Type.String({ pattern: '^[A-Z]{3}$' }), { maxItems: 200 }), Type.Null()]),
    /** Minor units of the payment's currency; a smaller amount fails with CP4001. */
    minimumAmount: Type.Integer({ minimum: 0, maximum: 9_000_000_000_000 }),
    fraudFilters: Type.Object(
      {
        /** Blocks the high-risk test card 4100000000000019 (CP3003). */
        blockHighRiskCards: Type.Boolean(),
        /** Blocks any single payment above this many minor units (CP3003); null: no limit. */
        maxAmount: Type.Union([Type.Integer({ minimum: 0, maximum: 9_000_000_000_000 }), Type.Null()]),
      },
      { additionalProperties: false },
    ),
    /**
     * Address verification required: a payment without a postal code, or with the address-mismatch test card
     * 4000000000000010, fails with CP3004.
     */
    addressVerification: Type.Boolean(),
    /** Saving cards and charging them later (reference transactions); off: CP3001. */
    referenceTransactions: Type.Boolean(),
    /** Recurring (automatic) charges of saved cards; off: CP4002. */
    recurring: Type.Boolean(),
    /** Same amount, currency and card within this many seconds of an earlier payment: CP3005. 0 turns it off. */
    duplicateWindowSeconds: Type.Integer({ minimum: 0, maximum: 86_400 }),
  },
  { additionalProperties: false },
);

export type SandboxRules = Static<typeof SandboxRulesSchema>;

/** The rules of an organization that configured nothing (development and demos): everything allowed. */
export const PERMISSIVE_SANDBOX_RULES: SandboxRules = {
  credentialsValid: true,
  currencies: null,
  minimumAmount: 0,
  fraudFilters: { blockHighRiskCards: true, maxAmount: null },
  addressVerification: false,
  referenceTransactions: true,
  recurring: true,
  duplicateWindowSeconds: 0,
};

/** Stored rules over the defaults, so rules added later get their default value. */
export function sandboxRulesFrom(json: string | null): SandboxRules {
  if (!json) return structuredClone(PERMISSIVE_SANDBOX_RULES);
  const stored = JSON.parse(json) as Partial<SandboxRules>;
  return {
    ...structuredClone(PERMISSIVE_SANDBOX_RULES),
    ...stored,
    fraudFilters: { ...PERMISSIVE_SANDBOX_RULES.fraudFilters, ...(stored.fraudFilters ?? {}) },
  };
}
