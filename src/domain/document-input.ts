/**
 * The shape of an estimate's or invoice's priced content, as the API and the test vectors carry it,
 * and its validation into exact values for document-math.ts.
 */
import { type Decimal, formatDecimal, parseDecimal } from './decimal.js';
import { invalid } from './errors.js';
import { assertMinorUnits } from './money.js';

export type Discount = { type: 'percent'; value: string } | { type: 'amount'; value: number };

export interface DocumentLineInput {
  /** Decimal string, > 0, up to 4 decimals. */
  quantity: string;
  /** Unit price in minor units, ≥ 0. */
  rate: number;
  /** Tax percent as a decimal string (up to 4 decimals), or null for an untaxed line. */
  taxRate: string | null;
  discount?: Discount | null;
}

export type TaxRounding = 'line' | 'document';

export interface DocumentInput {
  lines: DocumentLineInput[];
  discount?: Discount | null;
  /** Whether the document discount is taken before tax (the default) or from subtotal + tax. */
  discountBeforeTax?: boolean;
  shipping?: number;
  /** May be negative. */
  adjustment?: number;
  taxRounding: TaxRounding;
}

export const QUANTITY_DECIMALS = 4;
export const PERCENT_DECIMALS = 4;

export type ExactDiscount = { type: 'percent'; percent: Decimal } | { type: 'amount'; amount: bigint };

export interface ExactLine {
  quantity: Decimal;
  rate: bigint;
  tax: { rate: Decimal; key: string } | null;
  discount: ExactDiscount | null;
}

export interface ExactDocument {
  lines: ExactLine[];
  discount: ExactDiscount | null;
  discountBeforeTax: boolean;
  shipping: bigint;
  adjustment: bigint;
  taxRounding: TaxRounding;
}

/** Validates every field, reporting the first problem with its JSON path (e.g. `/lines/2/quantity`). */
export function parseDocumentInput(input: DocumentInput): ExactDocument {
  if (!Array.isArray(input.lines) || input.lines.length === 0) {
    throw invalid('/lines', 'A document needs at least one line.');
  }
  if (input.taxRounding !== 'line' && input.taxRounding !== 'document') {
    throw invalid('/taxRounding', 'Must be "line" or "document".');
  }
  if (input.discountBeforeTax !== undefined && typeof input.discountBeforeTax !== 'boolean') {
    throw invalid('/discountBeforeTax', 'Must be true or false.');
  }
  return {
    lines: input.lines.map((line, index) => parseLine(line, `/lines/${index}`)),
    discount: parseDiscount(input.discount, '/discount'),
    discountBeforeTax: input.discountBeforeTax ?? true,
    shipping: nonNegativeMoney(input.shipping ?? 0, '/shipping'),
    adjustment: money(input.adjustment ?? 0, '/adjustment'),
    taxRounding: input.taxRounding,
  };
}

function parseLine(line: DocumentLineInput, path: string): ExactLine {
  const quantity = parseDecimal(line.quantity, `${path}/quantity`, {
    maxDecimals: QUANTITY_DECIMALS,
    positive: true,
  });
  let tax: ExactLine['tax'] = null;
  if (line.taxRate !== null && line.taxRate !== undefined) {
    const rate = parseDecimal(line.taxRate, `${path}/taxRate`, { maxDecimals: PERCENT_DECIMALS });
    tax = { rate, key: formatDecimal(rate) };
  }
  return {
    quantity,
    rate: nonNegativeMoney(line.rate, `${path}/rate`),
    tax,
    discount: parseDiscount(line.discount, `${path}/discount`),
  };
}

function parseDiscount(discount: Discount | null | undefined, path: string): ExactDiscount | null {
  if (discount === null || discount === undefined) return null;
  if (discount.type === 'percent') {
    const percent = parseDecimal(discount.value, `${path}/value`, {
      maxDecimals: PERCENT_DECIMALS,
      max: '100',
    });
    return { type: 'percent', percent };
  }
  if (discount.type === 'amount') {
    return { type: 'amount', amount: nonNegativeMoney(discount.value, `${path}/value`) };
  }
  throw invalid(`${path}/type`, 'Must be "percent" or "amount".');
}

function money(value: unknown, path: string): bigint {
  assertMinorUnits(value, path);
  return BigInt(value);
}

function nonNegativeMoney(value: unknown, path: string): bigint {
  const amount = money(value, path);
  if (amount < 0n) throw invalid(path, 'Must not be negative.');
  return amount;
}
