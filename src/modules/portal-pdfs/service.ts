import type { PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { notFound } from '../../domain/errors.js';
import { contactLanguage } from '../customers/index.js';
import {
  type PdfDocumentKind,
  renderDocumentPdf,
  renderPaymentReceiptPdf,
  visibleToCustomer,
} from '../documents/index.js';
import { type EInvoiceFormat, eInvoiceFile } from '../e-invoices/index.js';

/**
 * PDFs in the portal obey the portal's scope (SECURITY.md): only the signed-in customer's documents, never a
 * draft. A draft, another customer's or another organization's document and an unknown id are the same 404.
 * Each is written in the signed-in contact person's language.
 */

const TABLES = { estimate: 'estimates', invoice: 'invoices', retainer_invoice: 'retainerInvoices' } as const;
const NAMES = { estimate: 'estimate', invoice: 'invoice', retainer_invoice: 'retainer invoice' } as const;

export async function portalDocumentPdf(ctx: AppContext, scope: PortalScope, kind: PdfDocumentKind, id: string) {
  const visible = await ctx.db.kysely
    .selectFrom(TABLES[kind])
    .select('id')
    .where('id', '=', id)
    .where(visibleToCustomer(scope))
    .executeTakeFirst();
  if (!visible) throw notFound(NAMES[kind]);
  const language = await contactLanguage(ctx.db.kysely, scope.organizationId, scope.contactPersonId);
  return renderDocumentPdf(ctx, scope.organizationId, kind, id, language);
}

/** An e-invoice of one of the client's own invoices (never a draft): the same 404 as its PDF otherwise. */
export async function portalEInvoice(ctx: AppContext, scope: PortalScope, invoiceId: string, format: EInvoiceFormat) {
  const visible = await ctx.db.kysely
    .selectFrom('invoices')
    .select('id')
    .where('id', '=', invoiceId)
    .where(visibleToCustomer(scope))
    .executeTakeFirst();
  if (!visible) throw notFound('invoice');
  return eInvoiceFile(ctx, scope.organizationId, invoiceId, format);
}

export async function portalPaymentReceipt(ctx: AppContext, scope: PortalScope, paymentId: string) {
  const own = await ctx.db.kysely
    .selectFrom('customerPayments')
    .select('id')
    .where('id', '=', paymentId)
    .where('organizationId', '=', scope.organizationId)
    .where('customerId', '=', scope.customerId)
    .executeTakeFirst();
  if (!own) throw notFound('payment');
  const language = await contactLanguage(ctx.db.kysely, scope.organizationId, scope.contactPersonId);
  return renderPaymentReceiptPdf(ctx, scope.organizationId, paymentId, language);
}
