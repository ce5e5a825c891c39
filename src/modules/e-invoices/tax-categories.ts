/**
 * Portico's tax model in the words of EN 16931: each line's tax becomes a VAT category of UNCL 5305 (see
 * `docs/e-invoices.md`, "Tax categories"). A line has no tax or one rate, so:
 * - a rate above 0 % is S (standard rate) at that percent;
 * - a rate of 0 % is Z (zero rated);
 * - no tax, on an invoice where other lines are taxed, is E (exempt), with a reason, as are shipping and the
 *   adjustment (§5.1 never taxes them);
 * - an invoice with no tax on any line is O (outside the scope of VAT) throughout.
 * Reverse charge (AE), intra-community (K) and export (G) cannot be told apart from "no tax" in Portico's model, so
 * they are never produced.
 */

export type TaxCategoryCode = 'S' | 'Z' | 'E' | 'O';

export interface TaxCategory {
  code: TaxCategoryCode;
  /** The rate in canonical spelling; null for O, which carries none. */
  percent: string | null;
  /** BT-120, required for E and O. */
  exemptionReason: string | null;
}

const EXEMPT: TaxCategory = { code: 'E', percent: '0', exemptionReason: 'Exempt from VAT' };
const OUTSIDE_SCOPE: TaxCategory = { code: 'O', percent: null, exemptionReason: 'Not subject to VAT' };

/** Whether any line is taxed (at any rate, 0 % included): if none is, the whole invoice is outside the scope. */
export function invoiceIsTaxed(lineRates: ReadonlyArray<string | null>): boolean {
  return lineRates.some((rate) => rate !== null);
}

/** The category of a line's tax rate (canonical spelling, or null: no tax). */
export function lineCategory(rate: string | null, taxed: boolean): TaxCategory {
  if (!taxed) return OUTSIDE_SCOPE;
  if (rate === null) return EXEMPT;
  if (Number(rate) === 0) return { code: 'Z', percent: '0', exemptionReason: null };
  return { code: 'S', percent: rate, exemptionReason: null };
}

/** The category of what §5.1 never taxes: shipping and the adjustment. */
export function untaxedCategory(taxed: boolean): TaxCategory {
  return taxed ? EXEMPT : OUTSIDE_SCOPE;
}

export const categoryKey = (category: TaxCategory) => `${category.code}:${category.percent ?? ''}`;
