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
