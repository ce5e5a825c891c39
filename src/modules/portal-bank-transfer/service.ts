import type { PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { notFound } from '../../domain/errors.js';
import { CHANGE_WARNING_DAYS, invoiceBankTransfer, qrCodePng } from '../bank-transfer/index.js';
import { visibleToCustomer } from '../documents/index.js';

/**
 * Bank-transfer instructions as the client sees them: on an invoice they can see (with its reference, balance and
 * EPC QR code), and as a warning on every page when the account details of a currency they owe in changed within
 * the last 30 days.
 */

async function visibleInvoice(ctx: AppContext, scope: PortalScope, invoiceId: string) {
  const invoice = await ctx.db.kysely
    .selectFrom('invoices')
    .select(['currency', 'number', 'balance', 'status'])
    .where('id', '=', invoiceId)
    .where(visibleToCustomer(scope))
    .executeTakeFirst();
  if (!invoice) throw notFound('invoice');
  return invoice;
}

export async function portalInvoiceBankTransfer(ctx: AppContext, scope: PortalScope, invoiceId: string) {
  const invoice = await visibleInvoice(ctx, scope, invoiceId);
  const found = await invoiceBankTransfer(ctx, scope.organizationId, invoice);
  if (!found) return { bankTransfer: null };
  const { epcQrText, showOnPdf: _showOnPdf, ...shown } = found;
  return { bankTransfer: { ...shown, hasQrCode: epcQrText !== null } };
}

/** The invoice's EPC QR code as a PNG; 404 when it has none (not in euros, no IBAN, nothing to pay). */
export async function portalInvoiceQrCode(ctx: AppContext, scope: PortalScope, invoiceId: string) {
  const invoice = await visibleInvoice(ctx, scope, invoiceId);
  const found = await invoiceBankTransfer(ctx, scope.organizationId, invoice);
  if (!found?.epcQrText) throw notFound('QR code for this invoice');
  return qrCodePng(found.epcQrText);
}

/**
 * The currencies whose account details changed within the warning period, among those the client owes in (an
 * invoice sent and not yet paid).
 */
export async function portalBankTransferNotices(ctx: AppContext, scope: PortalScope) {
  const since = new Date(ctx.now().getTime() - CHANGE_WARNING_DAYS * 24 * 3600 * 1000).toISOString();
  const rows = await ctx.db.kysely
    .selectFrom('bankTransferInstructions as b')
    .select(['b.currency', 'b.detailsChangedAt'])
    .where('b.organizationId', '=', scope.organizationId)
    .where('b.detailsChangedAt', '>', since)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('invoices as i')
          .select('i.id')
          .whereRef('i.currency', '=', 'b.currency')
          .where(visibleToCustomer(scope, 'i'))
          .where('i.balance', '>', 0)
          .where('i.status', '<>', 'void'),
      ),
    )
    .orderBy('b.currency')
    .execute();
  return { data: rows.map((row) => ({ currency: row.currency, changedAt: row.detailsChangedAt as string })) };
}
