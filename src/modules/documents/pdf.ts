import type { AppContext } from '../../context.js';
import { notFound } from '../../domain/errors.js';
import { TEST_PAYMENT_LABEL } from '../../domain/test-mode.js';
import {
  addressLines,
  customerLines,
  fileNameOf,
  formatAmount,
  formatMoney,
  PAYMENT_MODE_LABELS,
} from '../../pdf/format.js';
import {
  type Cell,
  drawHeader,
  drawParagraph,
  drawParagraphWithImage,
  drawParty,
  drawSectionTitle,
  drawSummary,
  drawTable,
  finish,
  newDocument,
  type PdfParty,
} from '../../pdf/layout.js';
import { loadPdfOrganization } from '../../pdf/organization.js';
import { invoiceBankTransfer, qrCodePng } from '../bank-transfer/index.js';
import { linesOf, presentPricing } from './service.js';

/**
 * PDFs of single documents: estimates, invoices (with the payments applied and the balance due), retainer
 * invoices and payment receipts. Each loads its document by organization and id only: the callers (the portal,
 * the business API, forwarding) have already decided that the asker may see it.
 */

export type PdfDocumentKind = 'estimate' | 'invoice' | 'retainer_invoice';

const STATUS_LABELS: Record<string, string> = {
  draft: 'Draft',
  sent: 'Sent',
  accepted: 'Accepted',
  declined: 'Declined',
  expired: 'Expired',
  invoiced: 'Invoiced',
  overdue: 'Overdue',
  partially_paid: 'Partially paid',
  paid: 'Paid',
  void: 'Void',
};
const statusLabel = (status: string) => STATUS_LABELS[status] ?? status;

/**
 * Whom a document is for: "Bill to" (or the receipt's "Received from") with the customer's name and billing
 * address, then "Ship to" when the customer has a shipping address and the document is one that ships.
 */
async function customerParties(
  ctx: AppContext,
  organizationId: string,
  customerId: string,
  label = 'Bill to',
  withShipTo = true,
): Promise<PdfParty[]> {
  const customer = await ctx.db.kysely
    .selectFrom('customers')
    .select(['displayName', 'companyName', 'billingAddress', 'shippingAddress', 'email'])
    .where('id', '=', customerId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirstOrThrow();
  const parties: PdfParty[] = [{ label, name: customer.displayName, lines: customerLines(customer) }];
  const shipping = addressLines(customer.shippingAddress);
  if (withShipTo && shipping.length > 0)
    parties.push({ label: 'Ship to', name: customer.displayName, lines: shipping });
  return parties;
}

function percentText(value: string) {
  return `${value}%`;
}

/** The lines table and totals of an estimate or invoice, from the stored lines and the §5.1 math. */
function pricedLines(currency: string, pricing: ReturnType<typeof presentPricing>) {
  const rows: Cell[][] = pricing.lines.map((line, index) => [
    String(index + 1),
    line.description ? `${line.name}\n${line.description}` : line.name,
    line.unit ? `${line.quantity} ${line.unit}` : line.quantity,
    formatAmount(line.rate, currency),
    line.discountAmount > 0 ? formatAmount(line.discountAmount, currency) : '',
    line.taxRate !== null ? `${line.taxName ?? 'Tax'} ${percentText(line.taxRate)}` : '',
    formatAmount(line.net, currency),
  ]);
  const totals: Array<{ label: string; value: string; bold?: boolean }> = [
    { label: 'Sub total', value: formatMoney(pricing.subtotal, currency) },
  ];
  if (pricing.discountTotal > 0) {
    const how = pricing.discount?.type === 'percent' ? ` (${percentText(String(pricing.discount.value))})` : '';
    totals.push({ label: `Discount${how}`, value: formatMoney(-pricing.discountTotal, currency) });
  }
  for (const tax of pricing.taxes) {
    const name = tax.names.length > 0 ? tax.names.join(', ') : 'Tax';
    totals.push({ label: `${name} (${percentText(tax.rate)})`, value: formatMoney(tax.amount, currency) });
  }
  if (pricing.shipping !== 0) totals.push({ label: 'Shipping', value: formatMoney(pricing.shipping, currency) });
  if (pricing.adjustment !== 0) {
    totals.push({ label: pricing.adjustmentLabel ?? 'Adjustment', value: formatMoney(pricing.adjustment, currency) });
  }
  totals.push({ label: 'Total', value: formatMoney(pricing.total, currency), bold: true });
  return { rows, totals };
}

const LINE_COLUMNS = (currency: string) => [
  { header: '#', weight: 4 },
  { header: 'Item & description', weight: 33, wrap: true },
  { header: 'Qty', weight: 9, align: 'right' as const, wrap: true },
  { header: `Rate (${currency})`, weight: 15, align: 'right' as const },
  { header: 'Discount', weight: 11, align: 'right' as const },
  { header: 'Tax', weight: 12, wrap: true },
  { header: `Amount (${currency})`, weight: 16, align: 'right' as const },
];

async function estimatePdf(ctx: AppContext, organizationId: string, estimateId: string) {
  const db = ctx.db.kysely;
  const row = await db
    .selectFrom('estimates')
    .selectAll()
    .where('id', '=', estimateId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst();
  if (!row) throw notFound('estimate');
  const org = await loadPdfOrganization(ctx, organizationId);
  const pricing = presentPricing(row, await linesOf(db, 'estimateLines', organizationId, estimateId));
  const { rows, totals } = pricedLines(row.currency, pricing);
  const doc = newDocument(`Estimate ${row.number}`);
  const facts: Array<[string, string]> = [['Estimate date', row.issueDate]];
  if (row.expiryDate) facts.push(['Expiry date', row.expiryDate]);
  if (row.revisedAt) facts.push(['Revised', row.revisedAt.slice(0, 10)]);
  if (row.reference) facts.push(['Reference', row.reference]);
  facts.push(['Status', statusLabel(row.status)]);
  drawHeader(doc, org, { title: 'ESTIMATE', number: row.number, facts });
  for (const party of await customerParties(ctx, organizationId, row.customerId, 'Estimate for')) drawParty(doc, party);
  if (row.subject) drawParagraph(doc, 'Subject', row.subject);
  drawTable(doc, LINE_COLUMNS(row.currency), rows);
  drawSummary(doc, totals);
  if (row.signatureName) drawParagraph(doc, 'Accepted by', row.signatureName);
  drawParagraph(doc, 'Notes', row.notes);
  drawParagraph(doc, 'Terms & conditions', row.terms);
  return { filename: fileNameOf(row.number, 'pdf'), pdf: await finish(doc) };
}

async function invoicePdf(ctx: AppContext, organizationId: string, invoiceId: string) {
  const db = ctx.db.kysely;
  const row = await db
    .selectFrom('invoices')
    .selectAll()
    .where('id', '=', invoiceId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst();
  if (!row) throw notFound('invoice');
  const org = await loadPdfOrganization(ctx, organizationId);
  const pricing = presentPricing(row, await linesOf(db, 'invoiceLines', organizationId, invoiceId));
  const payments = await db
    .selectFrom('paymentAllocations as a')
    .innerJoin('customerPayments as p', 'p.id', 'a.paymentId')
    .select(['p.number', 'p.paymentDate', 'p.mode', 'p.reference', 'a.kind', 'a.amount', 'a.appliedOn'])
    .where('a.invoiceId', '=', invoiceId)
    .where('a.organizationId', '=', organizationId)
    .where('p.organizationId', '=', organizationId)
    .where('a.releasedAt', 'is', null)
    .orderBy('a.appliedOn')
    .orderBy('a.createdAt')
    .orderBy('a.id')
    .execute();
  const { currency } = row;
  const { rows, totals } = pricedLines(currency, pricing);
  if (row.paymentsApplied > 0) {
    totals.push({ label: 'Payments made', value: formatMoney(-row.paymentsApplied, currency) });
  }
  if (row.creditsApplied > 0) {
    totals.push({ label: 'Credits applied', value: formatMoney(-row.creditsApplied, currency) });
  }
  if (row.writtenOff > 0) totals.push({ label: 'Written off', value: formatMoney(-row.writtenOff, currency) });
  totals.push({ label: 'Balance due', value: formatMoney(row.balance, currency), bold: true });

  const doc = newDocument(`Invoice ${row.number}`);
  const facts: Array<[string, string]> = [
    ['Invoice date', row.issueDate],
    ['Due date', row.dueDate],
  ];
  if (row.reference) facts.push(['Reference', row.reference]);
  facts.push(['Status', statusLabel(row.status)]);
  facts.push(['Balance due', formatMoney(row.balance, currency)]);
  drawHeader(doc, org, { title: 'INVOICE', number: row.number, facts });
  for (const party of await customerParties(ctx, organizationId, row.customerId)) drawParty(doc, party);
  if (row.subject) drawParagraph(doc, 'Subject', row.subject);
  drawTable(doc, LINE_COLUMNS(currency), rows);
  drawSummary(doc, totals);
  if (payments.length > 0) {
    drawSectionTitle(doc, 'Payments applied');
    drawTable(
      doc,
      [
        { header: 'Date', weight: 14 },
        { header: 'Payment #', weight: 16, wrap: true },
        { header: 'Applied as', weight: 18 },
        { header: 'Reference', weight: 32, wrap: true },
        { header: `Amount (${currency})`, weight: 20, align: 'right' },
      ],
      payments.map((payment) => [
        payment.appliedOn,
        payment.number,
        payment.kind === 'credit' ? 'Credit' : (PAYMENT_MODE_LABELS[payment.mode] ?? payment.mode),
        payment.reference ?? '',
        formatAmount(payment.amount, currency),
      ]),
    );
  }
  await drawBankTransfer(ctx, doc, organizationId, row);
  drawParagraph(doc, 'Notes', row.notes);
  drawParagraph(doc, 'Terms & conditions', row.terms);
  return { filename: fileNameOf(row.number, 'pdf'), pdf: await finish(doc) };
}

/** "Pay by bank transfer", when the business prints its instructions on PDFs; with the EPC QR code in euros. */
async function drawBankTransfer(
  ctx: AppContext,
  doc: ReturnType<typeof newDocument>,
  organizationId: string,
  invoice: { currency: string; number: string; balance: number; status: string },
) {
  const transfer = await invoiceBankTransfer(ctx, organizationId, invoice);
  if (!transfer?.showOnPdf) return;
  const lines = [
    `Account holder: ${transfer.accountHolder}`,
    `${transfer.isIban ? 'IBAN' : 'Account number'}: ${transfer.accountNumber}`,
    transfer.bankCode ? `${/^[A-Z]{6}/.test(transfer.bankCode) ? 'BIC' : 'Bank code'}: ${transfer.bankCode}` : null,
    transfer.bankName ? `Bank: ${transfer.bankName}` : null,
    `Reference: ${transfer.reference}`,
    `Amount: ${formatMoney(transfer.amount, transfer.currency)}`,
    `These details last changed on ${transfer.lastChangedAt.slice(0, 10)}. If they differ from what you paid before, confirm them with us by phone first.`,
  ].filter((line): line is string => line !== null);
  const qr = transfer.epcQrText ? await qrCodePng(transfer.epcQrText) : null;
  drawParagraphWithImage(doc, 'Pay by bank transfer', lines.join('\n'), qr);
}

async function retainerInvoicePdf(ctx: AppContext, organizationId: string, retainerInvoiceId: string) {
  const row = await ctx.db.kysely
    .selectFrom('retainerInvoices')
    .selectAll()
    .where('id', '=', retainerInvoiceId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst();
  if (!row) throw notFound('retainer invoice');
  const org = await loadPdfOrganization(ctx, organizationId);
  const { currency } = row;
  let lines: Array<{ description?: unknown; amount?: unknown }> = [];
  try {
    const parsed: unknown = JSON.parse(row.lines);
    if (Array.isArray(parsed)) lines = parsed;
  } catch {
    lines = [];
  }
  const doc = newDocument(`Retainer invoice ${row.number}`);
  const facts: Array<[string, string]> = [['Date', row.issueDate]];
  if (row.reference) facts.push(['Reference', row.reference]);
  facts.push(['Status', statusLabel(row.status)]);
  facts.push(['Balance due', formatMoney(row.balance, currency)]);
  drawHeader(doc, org, { title: 'RETAINER INVOICE', number: row.number, facts });
  for (const party of await customerParties(ctx, organizationId, row.customerId)) drawParty(doc, party);
  drawTable(
    doc,
    [
      { header: '#', weight: 5 },
      { header: 'Description', weight: 70, wrap: true },
      { header: `Amount (${currency})`, weight: 25, align: 'right' },
    ],
    lines.map((line, index) => [
      String(index + 1),
      typeof line.description === 'string' ? line.description : '',
      typeof line.amount === 'number' ? formatAmount(line.amount, currency) : '',
    ]),
  );
  const totals: Array<{ label: string; value: string; bold?: boolean }> = [
    { label: 'Total', value: formatMoney(row.total, currency) },
  ];
  if (row.amountPaid > 0) totals.push({ label: 'Amount paid', value: formatMoney(-row.amountPaid, currency) });
  totals.push({ label: 'Balance due', value: formatMoney(row.balance, currency), bold: true });
  drawSummary(doc, totals);
  drawParagraph(doc, 'Notes', row.notes);
  drawParagraph(doc, 'Terms & conditions', row.terms);
  return { filename: fileNameOf(row.number, 'pdf'), pdf: await finish(doc) };
}

/**
 * The PDF of an estimate, invoice or retainer invoice of the organization (404 when it has none by that id).
 * Visibility — drafts, which customer — is the caller's decision.
 */
export async function renderDocumentPdf(
  ctx: AppContext,
  organizationId: string,
  kind: PdfDocumentKind,
  documentId: string,
): Promise<{ filename: string; pdf: Buffer }> {
  switch (kind) {
    case 'estimate':
      return estimatePdf(ctx, organizationId, documentId);
    case 'invoice':
      return invoicePdf(ctx, organizationId, documentId);
    case 'retainer_invoice':
      return retainerInvoicePdf(ctx, organizationId, documentId);
  }
}

/** A payment receipt: date, amount, mode, reference and the invoices the payment was applied to. */
export async function renderPaymentReceiptPdf(
  ctx: AppContext,
  organizationId: string,
  paymentId: string,
): Promise<{ filename: string; pdf: Buffer }> {
  const db = ctx.db.kysely;
  const payment = await db
    .selectFrom('customerPayments as p')
    .leftJoin('retainerInvoices as r', (join) =>
      join.onRef('r.id', '=', 'p.retainerInvoiceId').on('r.organizationId', '=', organizationId),
    )
    .selectAll('p')
    .select('r.number as retainerNumber')
    .where('p.id', '=', paymentId)
    .where('p.organizationId', '=', organizationId)
    .executeTakeFirst();
  if (!payment) throw notFound('payment');
  const org = await loadPdfOrganization(ctx, organizationId);
  const allocations = await db
    .selectFrom('paymentAllocations as a')
    .innerJoin('invoices as i', 'i.id', 'a.invoiceId')
    .select(['i.number', 'i.issueDate', 'i.total', 'a.amount', 'a.appliedOn', 'a.kind'])
    .where('a.paymentId', '=', paymentId)
    .where('a.organizationId', '=', organizationId)
    .where('i.organizationId', '=', organizationId)
    .where('a.releasedAt', 'is', null)
    .orderBy('a.createdAt')
    .orderBy('i.number')
    .orderBy('a.id')
    .execute();
  const { currency } = payment;
  const mode = PAYMENT_MODE_LABELS[payment.mode] ?? payment.mode;
  const testMode = payment.testMode === 1;
  const doc = newDocument(`${testMode ? 'Test payment receipt' : 'Payment receipt'} ${payment.number}`);
  const facts: Array<[string, string]> = [
    ['Payment date', payment.paymentDate],
    ['Payment mode', testMode ? `${mode} (test mode)` : mode],
  ];
  if (payment.reference) facts.push(['Reference', payment.reference]);
  if (payment.retainerNumber) facts.push(['Retainer invoice', payment.retainerNumber]);
  drawHeader(doc, org, { title: testMode ? 'TEST PAYMENT RECEIPT' : 'PAYMENT RECEIPT', number: payment.number, facts });
  // A test payment (the gateway in test mode) says so before anything else is read.
  if (testMode) drawSectionTitle(doc, TEST_PAYMENT_LABEL);
  const [receivedFrom] = await customerParties(ctx, organizationId, payment.customerId, 'Received from', false);
  if (receivedFrom) drawParty(doc, receivedFrom);
  drawSummary(doc, [
    {
      label: testMode ? 'Amount (test, not received)' : 'Amount received',
      value: formatMoney(payment.amount, currency),
      bold: true,
    },
  ]);
  if (allocations.length > 0) {
    drawSectionTitle(doc, 'Applied to');
    drawTable(
      doc,
      [
        { header: 'Invoice #', weight: 22, wrap: true },
        { header: 'Invoice date', weight: 18 },
        { header: 'Applied on', weight: 18 },
        { header: `Invoice amount (${currency})`, weight: 21, align: 'right' },
        { header: `Applied (${currency})`, weight: 21, align: 'right' },
      ],
      allocations.map((a) => [
        a.number,
        a.issueDate,
        a.appliedOn,
        formatAmount(a.total, currency),
        formatAmount(a.amount, currency),
      ]),
    );
  }
  const applied = allocations.reduce((sum, a) => sum + a.amount, 0);
  drawSummary(doc, [
    { label: 'Applied to invoices', value: formatMoney(applied, currency) },
    {
      label: payment.retainerNumber ? 'Retainer credit' : 'Unused credit',
      value: formatMoney(payment.unapplied, currency),
    },
  ]);
  drawParagraph(doc, 'Notes', payment.notes);
  return { filename: fileNameOf(payment.number, 'pdf'), pdf: await finish(doc) };
}
