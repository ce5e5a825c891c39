import { Type } from 'typebox';
import { Decimal, Id, Money, Name, NonNegativeMoney, Nullable, Text } from '../../http/schemas.js';

/**
 * What estimates and invoices share: their priced content (lines, document discount, shipping, adjustment) as
 * the API takes it and gives it back.
 */

/** Enough for any real document, small enough that one request stays cheap to price and store. */
export const MAX_LINES = 500;

export const DiscountInput = Type.Union([
  Type.Object(
    { type: Type.Literal('percent'), value: Decimal },
    { additionalProperties: false, description: 'A percent of the base, up to 4 decimals ("12.5").' },
  ),
  Type.Object(
    { type: Type.Literal('amount'), value: NonNegativeMoney },
    { additionalProperties: false, description: 'A fixed amount in minor units, never more than the base.' },
  ),
]);

export const LineInput = Type.Object(
  {
    name: Name,
    description: Type.Optional(Nullable(Text(2000))),
    /** > 0, up to 4 decimals. */
    quantity: Decimal,
    unit: Type.Optional(Nullable(Text(20))),
    /** Unit price in minor units. */
    rate: NonNegativeMoney,
    discount: Type.Optional(Nullable(DiscountInput)),
    /** One of the organization's taxes; its name and rate are copied onto the line. */
    taxId: Type.Optional(Nullable(Id('tax'))),
  },
  { additionalProperties: false },
);

/** The priced fields of an estimate or invoice input; spread into each document's body schema. */
export const pricingInputFields = {
  lines: Type.Array(LineInput, { minItems: 1, maxItems: MAX_LINES }),
  discount: Type.Optional(Nullable(DiscountInput)),
  /** Whether the document discount is taken before tax (default) or from subtotal + tax. */
  discountBeforeTax: Type.Optional(Type.Boolean()),
  shipping: Type.Optional(NonNegativeMoney),
  /** May be negative (rounding, a goodwill reduction…). */
  adjustment: Type.Optional(Money),
  adjustmentLabel: Type.Optional(Nullable(Text(100))),
};

export const Discount = Type.Union([
  Type.Object({ type: Type.Literal('percent'), value: Type.String() }),
  Type.Object({ type: Type.Literal('amount'), value: Type.Integer() }),
]);

export const Line = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  quantity: Type.String(),
  unit: Nullable(Type.String()),
  rate: Type.Integer(),
  discount: Nullable(Discount),
  taxId: Nullable(Type.String()),
  /** The tax's name and rate when the line was priced. */
  taxName: Nullable(Type.String()),
  taxRate: Nullable(Type.String()),
  /** round(quantity × rate). */
  amount: Type.Integer(),
  /** The line's own discount. */
  discountAmount: Type.Integer(),
  /** amount − discountAmount: the line's "Amount" column. */
  net: Type.Integer(),
  /** This line's tax (after its share of a before-tax document discount). */
  tax: Type.Integer(),
});

export const TaxAmount = Type.Object({
  rate: Type.String(),
  /** The names of the taxes charged at this rate, as written on the lines. */
  names: Type.Array(Type.String()),
  amount: Type.Integer(),
});

/** The priced fields of an estimate or invoice as presented. */
export const pricingOutputFields = {
  lines: Type.Array(Line),
  discount: Nullable(Discount),
  discountBeforeTax: Type.Boolean(),
  taxRounding: Type.Union([Type.Literal('line'), Type.Literal('document')]),
  subtotal: Type.Integer(),
  discountTotal: Type.Integer(),
  taxes: Type.Array(TaxAmount),
  taxTotal: Type.Integer(),
  shipping: Type.Integer(),
  adjustment: Type.Integer(),
  adjustmentLabel: Nullable(Type.String()),
  total: Type.Integer(),
};

export const CustomerSummary = Type.Object({ id: Type.String(), displayName: Type.String() });
