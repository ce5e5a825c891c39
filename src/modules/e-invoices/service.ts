import type { AppContext } from '../../context.js';
import { AppError, notFound } from '../../domain/errors.js';
import { fileNameOf } from '../../pdf/format.js';
import { documentFigures, linesOf, renderDocumentPdf } from '../documents/index.js';
import { eInvoiceData } from './invoice-data.js';
import { loadParties } from './parties.js';
import { type EInvoiceFormat, renderEInvoice } from './render.js';
import { invoiceIsTaxed } from './tax-categories.js';

export interface EInvoiceFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

const CONTENT_TYPES: Record<EInvoiceFormat, string> = {
  ubl: 'application/xml',
  cii: 'application/xml',
  facturx: 'application/pdf',
};

/**
 * The invoice's data as an e-invoice would carry it, or 4xx: 404 for no such invoice of the organization, 422
 * `e_invoice_incomplete` naming the parties' missing details, 422 `e_invoice_unsupported` for what EN 16931 cannot
 * say exactly. The callers (business API, portal, invoice e-mails) have already decided the asker may see it.
 */
async function eInvoiceDataOf(ctx: AppContext, organizationId: string, invoiceId: string, format: EInvoiceFormat) {
  const db = ctx.db.kysely;
  const row = await db
    .selectFrom('invoices')
    .selectAll()
    .where('id', '=', invoiceId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst();
  if (!row) throw notFound('invoice');
  if (row.status === 'void') {
    const message = 'A void invoice has no e-invoice: it is owed by no one.';
    throw new AppError('e_invoice_unsupported', message, [{ path: '/status', message }]);
  }
  if (row.discountType !== null && row.discountBeforeTax !== 1) {
    const message =
      'E-invoices (EN 16931) only know discounts before tax: give this invoice its discount before tax to make one.';
    throw new AppError('e_invoice_unsupported', message, [{ path: '/discountBeforeTax', message }]);
  }
  const lines = await linesOf(db, 'invoiceLines', organizationId, invoiceId);
  const figures = documentFigures(row, lines);
  const taxed = invoiceIsTaxed(figures.lines.map((line) => line.taxRate));
  const parties = await loadParties(ctx, organizationId, row.customerId, taxed);
  return { row, data: eInvoiceData(format, { ...row, lines, figures }, parties) };
}

/** Checks that the invoice can become an e-invoice now (the same 4xx as rendering it), without rendering. */
export async function checkEInvoice(ctx: AppContext, organizationId: string, invoiceId: string): Promise<void> {
  await eInvoiceDataOf(ctx, organizationId, invoiceId, 'cii');
}

/** The invoice as UBL XML, CII XML or a Factur-X PDF, built from the same §5.1 figures as its PDF. */
export async function eInvoiceFile(
  ctx: AppContext,
  organizationId: string,
  invoiceId: string,
  format: EInvoiceFormat,
): Promise<EInvoiceFile> {
  const { row, data } = await eInvoiceDataOf(ctx, organizationId, invoiceId, format);
  const pdf = format === 'facturx' ? await renderDocumentPdf(ctx, organizationId, 'invoice', invoiceId) : null;
  const body = await renderEInvoice(data, format, pdf);
  const filename = fileNameOf(
    `${row.number}-${format === 'facturx' ? 'factur-x' : format}`,
    format === 'facturx' ? 'pdf' : 'xml',
  );
  return { filename, contentType: CONTENT_TYPES[format], body };
}

/** What the organization attaches to invoice e-mails beside (UBL, CII) or instead of (Factur-X) the PDF. */
export async function eInvoiceAttachmentFormat(ctx: AppContext, organizationId: string) {
  const org = await ctx.db.kysely
    .selectFrom('organizations')
    .select('eInvoiceAttachment')
    .where('id', '=', organizationId)
    .executeTakeFirstOrThrow();
  return org.eInvoiceAttachment === 'none' ? null : org.eInvoiceAttachment;
}
