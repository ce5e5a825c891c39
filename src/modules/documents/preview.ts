import type { Static } from 'typebox';
import { Type } from 'typebox';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { computeDocument } from '../../domain/document-math.js';
import { notFound } from '../../domain/errors.js';
import { Currency, Id, Nullable } from '../../http/schemas.js';
import { pricingInputFields, TaxAmount } from './schemas.js';
import { customerForDocument, defaultTerms, documentSettings, resolveLines, termsFrom } from './service.js';

/**
 * Live totals for an editor: the same priced input as creating an estimate or invoice, priced by the same
 * `computeDocument` with the same tax lookup, and nothing written. The tax rounding is the organization's, or —
 * when editing — the document's own (what saving it would use).
 */

export const PreviewInput = Type.Object(
  {
    ...pricingInputFields,
    /** The customer the document is for: its currency. */
    customerId: Type.Optional(Id('cus')),
    /** Without a customer: the currency to price in (default: the organization's base currency). */
    currency: Type.Optional(Currency),
    /** When editing an invoice or estimate: price with its own tax rounding, as saving it would. */
    invoiceId: Type.Optional(Id('inv')),
    estimateId: Type.Optional(Id('est')),
  },
  { additionalProperties: false },
);

export const PreviewLine = Type.Object({
  /** round(quantity × rate). */
  amount: Type.Integer(),
  /** The line's own discount. */
  discountAmount: Type.Integer(),
  /** amount − discountAmount: the line's "Amount" column. */
  net: Type.Integer(),
  /** The line's share of a before-tax document discount. */
  discountShare: Type.Integer(),
  taxableBase: Type.Integer(),
  taxName: Nullable(Type.String()),
  taxRate: Nullable(Type.String()),
  tax: Type.Integer(),
});

export const DocumentPreview = Type.Object({
  currency: Type.String(),
  taxRounding: Type.Union([Type.Literal('line'), Type.Literal('document')]),
  lines: Type.Array(PreviewLine),
  subtotal: Type.Integer(),
  discountTotal: Type.Integer(),
  taxes: Type.Array(TaxAmount),
  taxTotal: Type.Integer(),
  shipping: Type.Integer(),
  adjustment: Type.Integer(),
  total: Type.Integer(),
});

export async function previewDocument(
  ctx: AppContext,
  scope: OrgScope,
  input: Static<typeof PreviewInput>,
): Promise<Static<typeof DocumentPreview>> {
  const db = ctx.db.kysely;
  const settings = await documentSettings(db, scope.organizationId);
  let currency = input.currency;
  if (input.customerId) currency = (await customerForDocument(db, scope, input.customerId)).currency;
  if (!currency) {
    const org = await db
      .selectFrom('organizations')
      .select('baseCurrency')
      .where('id', '=', scope.organizationId)
      .executeTakeFirstOrThrow();
    currency = org.baseCurrency;
  }
  let taxRounding = settings.taxRounding;
  const editing = input.invoiceId
    ? { table: 'invoices' as const, id: input.invoiceId, name: 'invoice' }
    : input.estimateId
      ? { table: 'estimates' as const, id: input.estimateId, name: 'estimate' }
      : null;
  if (editing) {
    const row = await db
      .selectFrom(editing.table)
      .select(['taxRounding', 'currency'])
      .where('id', '=', editing.id)
      .where('organizationId', '=', scope.organizationId)
      .executeTakeFirst();
    if (!row) throw notFound(editing.name);
    taxRounding = row.taxRounding;
    currency = row.currency;
  }
  const lines = await resolveLines(db, scope, input.lines);
  const terms = termsFrom(input, defaultTerms(taxRounding));
  const totals = computeDocument({
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
  });
  const namesByRate = new Map<string, string[]>();
  totals.lines.forEach((priced, index) => {
    const name = lines[index]?.tax?.name;
    if (priced.taxRate === null || !name) return;
    const names = namesByRate.get(priced.taxRate) ?? [];
    if (!names.includes(name)) names.push(name);
    namesByRate.set(priced.taxRate, names);
  });
  return {
    currency,
    taxRounding,
    lines: totals.lines.map((priced, index) => ({
      amount: priced.amount,
      discountAmount: priced.discount,
      net: priced.net,
      discountShare: priced.discountShare,
      taxableBase: priced.taxableBase,
      taxName: lines[index]?.tax?.name ?? null,
      taxRate: priced.taxRate,
      tax: priced.tax,
    })),
    subtotal: totals.subtotal,
    discountTotal: totals.discountTotal,
    taxes: totals.taxes.map((tax) => ({ rate: tax.rate, names: namesByRate.get(tax.rate) ?? [], amount: tax.amount })),
    taxTotal: totals.taxTotal,
    shipping: totals.shipping,
    adjustment: totals.adjustment,
    total: totals.total,
  };
}
