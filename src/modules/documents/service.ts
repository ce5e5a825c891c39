import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Static } from 'typebox';
import type { OrgScope } from '../../auth/scopes.js';
import { newId } from '../../db/ids.js';
import type { Database, DocumentLinesTable, DocumentTotalsColumns } from '../../db/schema.js';
import { formatDecimal, parseDecimal } from '../../domain/decimal.js';
import { PERCENT_DECIMALS } from '../../domain/document-input.js';
import { computeDocument, type DocumentInput, type TaxRounding } from '../../domain/document-math.js';
import { invalid } from '../../domain/errors.js';
import type { DiscountInput, LineInput, pricingInputFields } from './schemas.js';

/**
 * Pricing shared by estimates and invoices: tax ids become snapshots, `computeDocument` prices the whole
 * document, and the results become the line rows and totals columns both tables store. Presenting re-runs
 * the same math on the stored lines, so a document always shows exactly the totals it was saved with.
 */

type Db = Kysely<Database> | Transaction<Database>;
export type LineTable = 'estimateLines' | 'invoiceLines';
export type LineRow = Selectable<DocumentLinesTable>;
export type Discount = Static<typeof DiscountInput>;
type LineInputValue = Static<typeof LineInput>;

/** A line ready to price: the tax already resolved to the name and rate it is charged at. */
export interface LineSource {
  name: string;
  description: string | null;
  quantity: string;
  unit: string | null;
  rate: number;
  discount: Discount | null;
  tax: { id: string | null; name: string | null; rate: string } | null;
  timeEntryIds: string | null;
}

/** The document-level terms of calculation. */
export interface PricingTerms {
  discount: Discount | null;
  discountBeforeTax: boolean;
  shipping: number;
  adjustment: number;
  adjustmentLabel: string | null;
  taxRounding: TaxRounding;
}

/** The document-level pricing fields of a create or update body (all optional on update). */
export type PricingTermsInput = Partial<{
  [K in Exclude<keyof typeof pricingInputFields, 'lines'>]: Static<(typeof pricingInputFields)[K]>;
}>;

export type TotalsColumns = Selectable<DocumentTotalsColumns>;

/** Turns the API's lines into priceable lines; every taxId must be a live tax of the organization (else 400). */
export async function resolveLines(db: Db, scope: OrgScope, lines: readonly LineInputValue[]): Promise<LineSource[]> {
  const taxIds = [...new Set(lines.flatMap((line) => (line.taxId ? [line.taxId] : [])))];
  const taxes =
    taxIds.length === 0
      ? []
      : await db
          .selectFrom('taxes')
          .select(['id', 'name', 'rate'])
          .where('id', 'in', taxIds)
          .where('organizationId', '=', scope.organizationId)
          .where('deletedAt', 'is', null)
          .execute();
  const byId = new Map(taxes.map((tax) => [tax.id, tax]));
  return lines.map((line, index) => {
    let tax: LineSource['tax'] = null;
    if (line.taxId) {
      const found = byId.get(line.taxId);
      if (!found) throw invalid(`/lines/${index}/taxId`, 'No such tax.');
      tax = found;
    }
    return {
      name: line.name,
      description: line.description ?? null,
      quantity: line.quantity,
      unit: line.unit ?? null,
      rate: line.rate,
      discount: line.discount ?? null,
      tax,
      timeEntryIds: null,
    };
  });
}

/** Stored lines as priceable lines, keeping their tax snapshots (a since-deleted tax still prices the same). */
export function linesFromRows(rows: readonly LineRow[]): LineSource[] {
  return rows.map((row) => ({
    name: row.name,
    description: row.description,
    quantity: row.quantity,
    unit: row.unit,
    rate: row.rate,
    discount: discountOf(row.discountType, row.discountValue),
    tax: row.taxRate === null ? null : { id: row.taxId, name: row.taxName, rate: row.taxRate },
    timeEntryIds: row.timeEntryIds,
  }));
}

export function termsFromRow(row: TotalsColumns): PricingTerms {
  return {
    discount: discountOf(row.discountType, row.discountValue),
    discountBeforeTax: row.discountBeforeTax === 1,
    shipping: row.shipping,
    adjustment: row.adjustment,
    adjustmentLabel: row.adjustmentLabel,
    taxRounding: row.taxRounding,
  };
}

/** New terms from a body: what it gives wins, the rest comes from `base` (the stored document, or defaults). */
export function termsFrom(input: PricingTermsInput, base: PricingTerms): PricingTerms {
  return {
    discount: input.discount !== undefined ? input.discount : base.discount,
    discountBeforeTax: input.discountBeforeTax ?? base.discountBeforeTax,
    shipping: input.shipping ?? base.shipping,
    adjustment: input.adjustment ?? base.adjustment,
    adjustmentLabel: input.adjustmentLabel !== undefined ? input.adjustmentLabel : base.adjustmentLabel,
    taxRounding: base.taxRounding,
  };
}

export const defaultTerms = (taxRounding: TaxRounding): PricingTerms => ({
  discount: null,
  discountBeforeTax: true,
  shipping: 0,
  adjustment: 0,
  adjustmentLabel: null,
  taxRounding,
});

function discountOf(type: 'percent' | 'amount' | null, value: string | null): Discount | null {
  if (type === null || value === null) return null;
  return type === 'percent' ? { type, value } : { type, value: Number(value) };
}

function documentInputOf(lines: readonly LineSource[], terms: PricingTerms): DocumentInput {
  return {
    lines: lines.map((line) => ({
      quantity: line.quantity,
      rate: line.rate,
      taxRate: line.tax?.rate ?? null,
      discount: line.discount,
    })),
    discount: terms.discount,
    discountBeforeTax: terms.discountBeforeTax,
    shipping: terms.shipping,
    adjustment: terms.adjustment,
    taxRounding: terms.taxRounding,
  };
}

/**
 * Prices a document: the line rows to store under `documentId` and its totals columns. Throws 400 with the
 * offending field's path (a zero quantity, a fixed discount larger than its base…).
 */
export function priceDocument(
  organizationId: string,
  documentId: string,
  lines: readonly LineSource[],
  terms: PricingTerms,
): { lines: Insertable<DocumentLinesTable>[]; totals: TotalsColumns } {
  const totals = computeDocument(documentInputOf(lines, terms));
  const rows = lines.map((line, position): Insertable<DocumentLinesTable> => {
    const priced = totals.lines[position];
    if (!priced) throw new Error('computeDocument returned fewer lines than it was given');
    return {
      id: newId('ln'),
      organizationId,
      documentId,
      position,
      name: line.name,
      description: line.description,
      quantity: line.quantity,
      unit: line.unit,
      rate: line.rate,
      discountType: line.discount?.type ?? null,
      discountValue: line.discount ? String(line.discount.value) : null,
      taxId: line.tax?.id ?? null,
      taxName: line.tax?.name ?? null,
      taxRate: line.tax?.rate ?? null,
      amount: priced.amount,
      discount: priced.discount,
      net: priced.net,
      timeEntryIds: line.timeEntryIds,
    };
  });
  return {
    lines: rows,
    totals: {
      discountType: terms.discount?.type ?? null,
      discountValue: terms.discount ? String(terms.discount.value) : null,
      discountBeforeTax: terms.discountBeforeTax ? 1 : 0,
      taxRounding: terms.taxRounding,
      shipping: totals.shipping,
      adjustment: totals.adjustment,
      adjustmentLabel: terms.adjustmentLabel,
      subtotal: totals.subtotal,
      discountTotal: totals.discountTotal,
      taxTotal: totals.taxTotal,
      total: totals.total,
    },
  };
}

/** Rows per INSERT: 18 columns × 100 rows stays far below both databases' bound-parameter limits. */
const INSERT_CHUNK = 100;

export async function insertLines(
  trx: Transaction<Database>,
  table: LineTable,
  rows: Insertable<DocumentLinesTable>[],
) {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    await trx
      .insertInto(table)
      .values(rows.slice(start, start + INSERT_CHUNK))
      .execute();
  }
}

/** Replaces a document's lines wholesale (updates send the full list of lines, never a diff). */
export async function replaceLines(
  trx: Transaction<Database>,
  table: LineTable,
  organizationId: string,
  documentId: string,
  rows: Insertable<DocumentLinesTable>[],
) {
  await trx
    .deleteFrom(table)
    .where('documentId', '=', documentId)
    .where('organizationId', '=', organizationId)
    .execute();
  await insertLines(trx, table, rows);
}

export async function deleteLines(
  trx: Transaction<Database>,
  table: LineTable,
  organizationId: string,
  documentId: string,
) {
  await trx
    .deleteFrom(table)
    .where('documentId', '=', documentId)
    .where('organizationId', '=', organizationId)
    .execute();
}

export async function linesOf(
  db: Db,
  table: LineTable,
  organizationId: string,
  documentId: string,
): Promise<LineRow[]> {
  return db
    .selectFrom(table)
    .selectAll()
    .where('documentId', '=', documentId)
    .where('organizationId', '=', organizationId)
    .orderBy('position')
    .execute();
}

const canonicalRate = (rate: string) =>
  formatDecimal(parseDecimal(rate, '/taxRate', { maxDecimals: PERCENT_DECIMALS }));

/** The §5.1 figures of a stored document, line by line (each line's discount share and taxable base included). */
export function documentFigures(row: TotalsColumns, lineRows: readonly LineRow[]) {
  return computeDocument(documentInputOf(linesFromRows(lineRows), termsFromRow(row)));
}

/** Lines and totals as the API shows them, including each line's tax and the tax per rate. */
export function presentPricing(row: TotalsColumns, lineRows: readonly LineRow[]) {
  const terms = termsFromRow(row);
  const sources = linesFromRows(lineRows);
  const computed = computeDocument(documentInputOf(sources, terms));
  const namesByRate = new Map<string, string[]>();
  for (const line of lineRows) {
    if (line.taxRate === null) continue;
    const key = canonicalRate(line.taxRate);
    const names = namesByRate.get(key) ?? [];
    if (line.taxName !== null && !names.includes(line.taxName)) names.push(line.taxName);
    namesByRate.set(key, names);
  }
  return {
    lines: lineRows.map((line, index) => ({
      id: line.id,
      name: line.name,
      description: line.description,
      quantity: line.quantity,
      unit: line.unit,
      rate: line.rate,
      discount: discountOf(line.discountType, line.discountValue),
      taxId: line.taxId,
      taxName: line.taxName,
      taxRate: line.taxRate,
      amount: line.amount,
      discountAmount: line.discount,
      net: line.net,
      tax: computed.lines[index]?.tax ?? 0,
    })),
    discount: terms.discount,
    discountBeforeTax: terms.discountBeforeTax,
    taxRounding: terms.taxRounding,
    // The stored totals are what the document was saved with; the recomputation only adds the breakdowns.
    subtotal: row.subtotal,
    discountTotal: row.discountTotal,
    taxes: computed.taxes.map((tax) => ({
      rate: tax.rate,
      names: namesByRate.get(tax.rate) ?? [],
      amount: tax.amount,
    })),
    taxTotal: row.taxTotal,
    shipping: row.shipping,
    adjustment: row.adjustment,
    adjustmentLabel: row.adjustmentLabel,
    total: row.total,
  };
}

/** A customer a new document may be written to: of the organization and not deleted (else 400 at /customerId). */
export async function customerForDocument(db: Db, scope: OrgScope, customerId: string) {
  const customer = await db
    .selectFrom('customers')
    .select(['id', 'displayName', 'currency', 'paymentTermsDays'])
    .where('id', '=', customerId)
    .where('organizationId', '=', scope.organizationId)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  if (!customer) throw invalid('/customerId', 'No such customer.');
  return customer;
}

/** The organization's defaults for new documents. */
export async function documentSettings(db: Db, organizationId: string) {
  return db
    .selectFrom('organizations')
    .select(['taxRounding', 'paymentTermsDays', 'estimateValidityDays'])
    .where('id', '=', organizationId)
    .executeTakeFirstOrThrow();
}
