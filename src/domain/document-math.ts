/**
 * The totals of an estimate, invoice or retainer invoice — PRODUCT.md §5.1, exactly. Every amount is
 * computed in BigInt minor units and rounded half-up exactly where the rules say "round", never
 * elsewhere; the server, the PDFs and the tests all call this one function.
 */
import { allocateByLargestRemainder } from './allocation.js';
import { compareDecimals, type Decimal, multiplyRound, percentOfRound } from './decimal.js';
import { type DocumentInput, type ExactDiscount, type ExactLine, parseDocumentInput } from './document-input.js';
import { invalid } from './errors.js';
import { toMinorUnits } from './money.js';

export type {
  Discount,
  DocumentInput,
  DocumentLineInput,
  TaxRounding,
} from './document-input.js';

export interface LineTotals {
  /** round(quantity × rate). */
  amount: number;
  /** The line's own discount. */
  discount: number;
  /** amount − discount: what the line contributes to the subtotal (the "Amount" column). */
  net: number;
  /** This line's part of a before-tax document discount (0 when the discount is after tax). */
  discountShare: number;
  /** net − discountShare: what the line's tax is computed on. */
  taxableBase: number;
  /** The line's tax rate in canonical spelling ("7.5"), or null when untaxed. */
  taxRate: string | null;
  /**
   * The line's tax in whole minor units. Rounding per line: round(base × rate / 100). Rounding per
   * document: the rate's rounded total spread over its lines by largest remainder in proportion to
   * their bases, so line taxes on a PDF or e-invoice still add up to the document's tax exactly.
   */
  tax: number;
}

export interface TaxAmount {
  /** Canonical decimal spelling of the percent: "7.50" and "7.5" are the same rate, "7.5". */
  rate: string;
  amount: number;
}

export interface DocumentTotals {
  lines: LineTotals[];
  /** The line nets, in line order (the vectors' `lineAmounts`). */
  lineAmounts: number[];
  subtotal: number;
  /** The document discount (line discounts are already inside the subtotal). */
  discountTotal: number;
  /** One entry per distinct rate used by a line (0 % included), by ascending rate. */
  taxes: TaxAmount[];
  taxTotal: number;
  shipping: number;
  adjustment: number;
  /** subtotal − discountTotal + taxTotal + shipping + adjustment; negative only by adjustment. */
  total: number;
}

interface PricedLine {
  amount: bigint;
  discount: bigint;
  net: bigint;
}

/** Computes a document's totals, or throws `validation_failed` naming the offending field. */
export function computeDocument(input: DocumentInput): DocumentTotals {
  const doc = parseDocumentInput(input);
  const priced = doc.lines.map((line, index) => priceLine(line, `/lines/${index}`));
  const nets = priced.map((line) => line.net);
  const subtotal = sum(nets);

  let documentDiscount = 0n;
  let shares = nets.map(() => 0n);
  if (doc.discount && doc.discountBeforeTax) {
    documentDiscount = discountOn(subtotal, doc.discount, '/discount', 'the subtotal');
    shares = allocateByLargestRemainder(documentDiscount, nets);
  }
  const bases = nets.map((net, index) => net - (shares[index] ?? 0n));

  const { lineTaxes, taxes } = computeTaxes(doc.lines, bases, doc.taxRounding);
  const taxTotal = sum(taxes.map((tax) => tax.amount));

  if (doc.discount && !doc.discountBeforeTax) {
    documentDiscount = discountOn(subtotal + taxTotal, doc.discount, '/discount', 'the subtotal plus tax');
  }

  const total = subtotal - documentDiscount + taxTotal + doc.shipping + doc.adjustment;
  const lines = priced.map(
    (line, index): LineTotals => ({
      amount: toMinorUnits(line.amount, `/lines/${index}`),
      discount: toMinorUnits(line.discount, `/lines/${index}/discount`),
      net: toMinorUnits(line.net, `/lines/${index}`),
      discountShare: toMinorUnits(shares[index] ?? 0n, '/discount'),
      taxableBase: toMinorUnits(bases[index] ?? 0n, `/lines/${index}`),
      taxRate: doc.lines[index]?.tax?.key ?? null,
      tax: toMinorUnits(lineTaxes[index] ?? 0n, `/lines/${index}/taxRate`),
    }),
  );
  return {
    lines,
    lineAmounts: lines.map((line) => line.net),
    subtotal: toMinorUnits(subtotal, '/lines'),
    discountTotal: toMinorUnits(documentDiscount, '/discount'),
    taxes: taxes.map((tax) => ({ rate: tax.rate, amount: toMinorUnits(tax.amount, '/lines') })),
    taxTotal: toMinorUnits(taxTotal, '/lines'),
    shipping: toMinorUnits(doc.shipping, '/shipping'),
    adjustment: toMinorUnits(doc.adjustment, '/adjustment'),
    total: toMinorUnits(total, '/adjustment'),
  };
}

function priceLine(line: ExactLine, path: string): PricedLine {
  const amount = multiplyRound(line.rate, line.quantity);
  const discount = line.discount ? discountOn(amount, line.discount, `${path}/discount`, 'the line amount') : 0n;
  return { amount, discount, net: amount - discount };
}

/** A percent is rounded from `base`; a fixed amount may not exceed it. */
function discountOn(base: bigint, discount: ExactDiscount, path: string, baseName: string): bigint {
  if (discount.type === 'percent') return percentOfRound(base, discount.percent);
  if (discount.amount > base) {
    throw invalid(`${path}/value`, `The discount cannot be more than ${baseName}.`);
  }
  return discount.amount;
}

interface RateGroup {
  rate: Decimal;
  key: string;
  lineIndexes: number[];
}

function computeTaxes(
  lines: readonly ExactLine[],
  bases: readonly bigint[],
  rounding: 'line' | 'document',
): { lineTaxes: bigint[]; taxes: { rate: string; amount: bigint }[] } {
  const groups = new Map<string, RateGroup>();
  lines.forEach((line, index) => {
    if (!line.tax) return;
    const group = groups.get(line.tax.key) ?? { rate: line.tax.rate, key: line.tax.key, lineIndexes: [] };
    group.lineIndexes.push(index);
    groups.set(line.tax.key, group);
  });

  const lineTaxes = lines.map(() => 0n);
  const taxes = [...groups.values()]
    .sort((a, b) => compareDecimals(a.rate, b.rate))
    .map((group) => {
      const groupBases = group.lineIndexes.map((index) => bases[index] ?? 0n);
      const perLine =
        rounding === 'line'
          ? groupBases.map((base) => percentOfRound(base, group.rate))
          : allocateByLargestRemainder(percentOfRound(sum(groupBases), group.rate), groupBases);
      group.lineIndexes.forEach((lineIndex, position) => {
        lineTaxes[lineIndex] = perLine[position] ?? 0n;
      });
      return { rate: group.key, amount: sum(perLine) };
    });
  return { lineTaxes, taxes };
}

const sum = (values: readonly bigint[]): bigint => values.reduce((total, value) => total + value, 0n);
