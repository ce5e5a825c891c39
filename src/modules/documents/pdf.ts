import type { AppContext } from '../../context.js';
import { notFound } from '../../domain/errors.js';
import { type ServerMessageKey, type Words, wordsForContact } from '../../i18n/words.js';
import { addressLines, customerLines, fileNameOf } from '../../pdf/format.js';
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
 * the business API, forwarding) have already decided that the asker may see it. Each is written in the words of
 * its reader (`language`: the contact's choice, or the one asked for; null: the organization's locale).
 */

export type PdfDocumentKind = 'estimate' | 'invoice' | 'retainer_invoice';

const STATUSES = [
  'draft',
  'sent',
  'accepted',
  'declined',
  'expired',
  'invoiced',
  'overdue',
  'partially_paid',
  'paid',
  'void',
];
const statusLabel = (words: Words, status: string) =>
  STATUSES.includes(status) ? words.t(`status.${status}` as ServerMessageKey) : status;
const PAYMENT_MODES = ['cash', 'bank_transfer', 'check', 'card', 'other'];
const modeLabel = (words: Words, mode: string) =>
  PAYMENT_MODES.includes(mode) ? words.t(`mode.${mode}` as ServerMessageKey) : mode;

/**
 * Whom a document is for: "Bill to" (or the receipt's "Received from") with the customer's name and billing
 * address, then "Ship to" when the customer has a shipping address and the document is one that ships.
 */
async function customerParties(
  ctx: AppContext,
  words: Words,
  organizationId: string,
  customerId: string,
  label = words.t('pdf.billTo'),
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
    parties.push({ label: words.t('pdf.shipTo'), name: customer.displayName, lines: shipping });
  return parties;
}

function percentText(value: string) {
  return `${value}%`;
}

/** The lines table and totals of an estimate or invoice, from the stored lines and the §5.1 math. */
function pricedLines(words: Words, currency: string, pricing: ReturnType<typeof presentPricing>) {
  const { t, money } = words;
  const formatAmount = words.amount;
  const rows: Cell[][] = pricing.lines.map((line, index) => [
    String(index + 1),
    line.description ? `${line.name}\n${line.description}` : line.name,
    line.unit ? `${line.quantity} ${line.unit}` : line.quantity,
    formatAmount(line.rate, currency),
    line.discountAmount > 0 ? formatAmount(line.discountAmount, currency) : '',
    line.taxRate !== null ? `${line.taxName ?? t('pdf.tax')} ${percentText(line.taxRate)}` : '',
    formatAmount(line.net, currency),
  ]);
  const totals: Array<{ label: string; value: string; bold?: boolean }> = [
    { label: t('pdf.subtotal'), value: money(pricing.subtotal, currency) },
  ];
  if (pricing.discountTotal > 0) {
    const how = pricing.discount?.type === 'percent' ? ` (${percentText(String(pricing.discount.value))})` : '';
    totals.push({ label: `${t('pdf.discount')}${how}`, value: money(-pricing.discountTotal, currency) });
  }
  for (const tax of pricing.taxes) {
    const name = tax.names.length > 0 ? tax.names.join(', ') : t('pdf.tax');
    totals.push({ label: `${name} (${percentText(tax.rate)})`, value: money(tax.amount, currency) });
  }
  if (pricing.shipping !== 0) totals.push({ label: t('pdf.shipping'), value: money(pricing.shipping, currency) });
  if (pricing.adjustment !== 0) {
    totals.push({ label: pricing.adjustmentLabel ?? t('pdf.adjustment'), value: money(pricing.adjustment, currency) });
  }
  totals.push({ label: t('pdf.total'), value: money(pricing.total, currency), bold: true });
  return { rows, totals };
}

const LINE_COLUMNS = ({ t }: Words, currency: string) => [
  { header: '#', weight: 4 },
  { header: t('pdf.column.item'), weight: 33, wrap: true },
  { header: t('pdf.column.quantity'), weight: 9, align: 'right' as const, wrap: true },
  { header: t('pdf.column.rate', { currency }), weight: 15, align: 'right' as const },
  { header: t('pdf.column.discount'), weight: 11, align: 'right' as const },
  { header: t('pdf.column.tax'), weight: 12, wrap: true },
  { header: t('pdf.column.amount', { currency }), weight: 16, align: 'right' as const },
];

async function estimatePdf(ctx: AppContext, organizationId: string, estimateId: string, language: string | null) {
  const db = ctx.db.kysely;
  const row = await db
    .selectFrom('estimates')
    .selectAll()
    .where('id', '=', estimateId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst();
  if (!row) throw notFound('estimate');
  const org = await loadPdfOrganization(ctx, organizationId);
  const words = wordsForContact(language, org.locale);
  const { t, date } = words;
  const pricing = presentPricing(row, await linesOf(db, 'estimateLines', organizationId, estimateId));
  const { rows, totals } = pricedLines(words, row.currency, pricing);
  const doc = newDocument(t('document.estimate', { number: row.number }), words);
  const facts: Array<[string, string]> = [[t('pdf.estimateDate'), date(row.issueDate)]];
  if (row.expiryDate) facts.push([t('pdf.expiryDate'), date(row.expiryDate)]);
  if (row.revisedAt) facts.push([t('pdf.revised'), date(row.revisedAt)]);
  if (row.reference) facts.push([t('pdf.reference'), row.reference]);
  facts.push([t('pdf.status'), statusLabel(words, row.status)]);
  drawHeader(doc, org, { title: t('pdf.title.estimate'), number: row.number, facts });
  for (const party of await customerParties(ctx, words, organizationId, row.customerId, t('pdf.estimateFor')))
    drawParty(doc, party);
  if (row.subject) drawParagraph(doc, t('pdf.subject'), row.subject);
  drawTable(doc, LINE_COLUMNS(words, row.currency), rows);
  drawSummary(doc, totals);
  if (row.signatureName) drawParagraph(doc, t('pdf.acceptedBy'), row.signatureName);
  drawParagraph(doc, t('pdf.notes'), row.notes);
  drawParagraph(doc, t('pdf.terms'), row.terms);
  return { filename: fileNameOf(row.number, 'pdf'), pdf: await finish(doc) };
}

async function invoicePdf(ctx: AppContext, organizationId: string, invoiceId: string, language: string | null) {
  const db = ctx.db.kysely;
  const row = await db
    .selectFrom('invoices')
    .selectAll()
    .where('id', '=', invoiceId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst();
  if (!row) throw notFound('invoice');
  const org = await loadPdfOrganization(ctx, organizationId);
  const words = wordsForContact(language, org.locale);
  const { t, date, money } = words;
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
  const { rows, totals } = pricedLines(words, currency, pricing);
  if (row.paymentsApplied > 0) {
    totals.push({ label: t('pdf.paymentsMade'), value: money(-row.paymentsApplied, currency) });
  }
  if (row.creditsApplied > 0) {
    totals.push({ label: t('pdf.creditsApplied'), value: money(-row.creditsApplied, currency) });
  }
  if (row.writtenOff > 0) totals.push({ label: t('pdf.writtenOff'), value: money(-row.writtenOff, currency) });
  totals.push({ label: t('pdf.balanceDue'), value: money(row.balance, currency), bold: true });

  const doc = newDocument(t('document.invoice', { number: row.number }), words);
  const facts: Array<[string, string]> = [
    [t('pdf.invoiceDate'), date(row.issueDate)],
    [t('pdf.dueDate'), date(row.dueDate)],
  ];
  if (row.reference) facts.push([t('pdf.reference'), row.reference]);
  facts.push([t('pdf.status'), statusLabel(words, row.status)]);
  facts.push([t('pdf.balanceDue'), money(row.balance, currency)]);
  drawHeader(doc, org, { title: t('pdf.title.invoice'), number: row.number, facts });
  for (const party of await customerParties(ctx, words, organizationId, row.customerId)) drawParty(doc, party);
  if (row.subject) drawParagraph(doc, t('pdf.subject'), row.subject);
  drawTable(doc, LINE_COLUMNS(words, currency), rows);
  drawSummary(doc, totals);
  if (payments.length > 0) {
    drawSectionTitle(doc, t('pdf.paymentsApplied'));
    drawTable(
      doc,
      [
        { header: t('pdf.date'), weight: 14 },
        { header: t('pdf.column.paymentNumber'), weight: 16, wrap: true },
        { header: t('pdf.column.appliedAs'), weight: 18 },
        { header: t('pdf.reference'), weight: 32, wrap: true },
        { header: t('pdf.column.amount', { currency }), weight: 20, align: 'right' },
      ],
      payments.map((payment) => [
        date(payment.appliedOn),
        payment.number,
        payment.kind === 'credit' ? t('pdf.credit') : modeLabel(words, payment.mode),
        payment.reference ?? '',
        words.amount(payment.amount, currency),
      ]),
    );
  }
  await drawBankTransfer(ctx, words, doc, organizationId, row);
  drawParagraph(doc, t('pdf.notes'), row.notes);
  drawParagraph(doc, t('pdf.terms'), row.terms);
  return { filename: fileNameOf(row.number, 'pdf'), pdf: await finish(doc) };
}

/** "Pay by bank transfer", when the business prints its instructions on PDFs; with the EPC QR code in euros. */
async function drawBankTransfer(
  ctx: AppContext,
  { t, date, money }: Words,
  doc: ReturnType<typeof newDocument>,
  organizationId: string,
  invoice: { currency: string; number: string; balance: number; status: string },
) {
  const transfer = await invoiceBankTransfer(ctx, organizationId, invoice);
  if (!transfer?.showOnPdf) return;
  const bankCodeLabel = /^[A-Z]{6}/.test(transfer.bankCode ?? '') ? t('pdf.bank.bic') : t('pdf.bank.bankCode');
  const lines = [
    `${t('pdf.bank.accountHolder')}: ${transfer.accountHolder}`,
    `${transfer.isIban ? t('pdf.bank.iban') : t('pdf.bank.accountNumber')}: ${transfer.accountNumber}`,
    transfer.bankCode ? `${bankCodeLabel}: ${transfer.bankCode}` : null,
    transfer.bankName ? `${t('pdf.bank.bank')}: ${transfer.bankName}` : null,
    `${t('pdf.bank.reference')}: ${transfer.reference}`,
    `${t('pdf.bank.amount')}: ${money(transfer.amount, transfer.currency)}`,
    t('pdf.bank.lastChanged', { date: date(transfer.lastChangedAt) }),
  ].filter((line): line is string => line !== null);
  const qr = transfer.epcQrText ? await qrCodePng(transfer.epcQrText) : null;
  drawParagraphWithImage(doc, t('pdf.bank.title'), lines.join('\n'), qr);
}

async function retainerInvoicePdf(
  ctx: AppContext,
  organizationId: string,
  retainerInvoiceId: string,
  language: string | null,
) {
  const row = await ctx.db.kysely
    .selectFrom('retainerInvoices')
    .selectAll()
    .where('id', '=', retainerInvoiceId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst();
  if (!row) throw notFound('retainer invoice');
  const org = await loadPdfOrganization(ctx, organizationId);
  const words = wordsForContact(language, org.locale);
  const { t, date, money } = words;
  const { currency } = row;
  let lines: Array<{ description?: unknown; amount?: unknown }> = [];
  try {
    const parsed: unknown = JSON.parse(row.lines);
    if (Array.isArray(parsed)) lines = parsed;
  } catch {
    lines = [];
  }
  const doc = newDocument(t('document.retainerInvoice', { number: row.number }), words);
  const facts: Array<[string, string]> = [[t('pdf.date'), date(row.issueDate)]];
  if (row.reference) facts.push([t('pdf.reference'), row.reference]);
  facts.push([t('pdf.status'), statusLabel(words, row.status)]);
  facts.push([t('pdf.balanceDue'), money(row.balance, currency)]);
  drawHeader(doc, org, { title: t('pdf.title.retainerInvoice'), number: row.number, facts });
  for (const party of await customerParties(ctx, words, organizationId, row.customerId)) drawParty(doc, party);
  drawTable(
    doc,
    [
      { header: '#', weight: 5 },
      { header: t('pdf.column.description'), weight: 70, wrap: true },
      { header: t('pdf.column.amount', { currency }), weight: 25, align: 'right' },
    ],
    lines.map((line, index) => [
      String(index + 1),
      typeof line.description === 'string' ? line.description : '',
      typeof line.amount === 'number' ? words.amount(line.amount, currency) : '',
    ]),
  );
  const totals: Array<{ label: string; value: string; bold?: boolean }> = [
    { label: t('pdf.total'), value: money(row.total, currency) },
  ];
  if (row.amountPaid > 0) totals.push({ label: t('pdf.amountPaid'), value: money(-row.amountPaid, currency) });
  totals.push({ label: t('pdf.balanceDue'), value: money(row.balance, currency), bold: true });
  drawSummary(doc, totals);
  drawParagraph(doc, t('pdf.notes'), row.notes);
  drawParagraph(doc, t('pdf.terms'), row.terms);
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
  language: string | null = null,
): Promise<{ filename: string; pdf: Buffer }> {
  switch (kind) {
    case 'estimate':
      return estimatePdf(ctx, organizationId, documentId, language);
    case 'invoice':
      return invoicePdf(ctx, organizationId, documentId, language);
    case 'retainer_invoice':
      return retainerInvoicePdf(ctx, organizationId, documentId, language);
  }
}

/** A payment receipt: date, amount, mode, reference and the invoices the payment was applied to. */
export async function renderPaymentReceiptPdf(
  ctx: AppContext,
  organizationId: string,
  paymentId: string,
  language: string | null = null,
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
  const words = wordsForContact(language, org.locale);
  const { t, date, money } = words;
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
  const mode = modeLabel(words, payment.mode);
  const testMode = payment.testMode === 1;
  const doc = newDocument(
    t(testMode ? 'document.testPaymentReceipt' : 'document.paymentReceipt', { number: payment.number }),
    words,
  );
  const facts: Array<[string, string]> = [
    [t('pdf.paymentDate'), date(payment.paymentDate)],
    [t('pdf.paymentMode'), testMode ? t('pdf.paymentModeTest', { mode }) : mode],
  ];
  if (payment.reference) facts.push([t('pdf.reference'), payment.reference]);
  if (payment.retainerNumber) facts.push([t('pdf.retainerInvoice'), payment.retainerNumber]);
  const title = t(testMode ? 'pdf.title.testPaymentReceipt' : 'pdf.title.paymentReceipt');
  drawHeader(doc, org, { title, number: payment.number, facts });
  // A test payment (the gateway in test mode) says so before anything else is read.
  if (testMode) drawSectionTitle(doc, t('pdf.testPayment'));
  const [receivedFrom] = await customerParties(
    ctx,
    words,
    organizationId,
    payment.customerId,
    t('pdf.receivedFrom'),
    false,
  );
  if (receivedFrom) drawParty(doc, receivedFrom);
  drawSummary(doc, [
    {
      label: testMode ? t('pdf.amountTest') : t('pdf.amountReceived'),
      value: money(payment.amount, currency),
      bold: true,
    },
  ]);
  if (allocations.length > 0) {
    drawSectionTitle(doc, t('pdf.appliedTo'));
    drawTable(
      doc,
      [
        { header: t('pdf.column.invoiceNumber'), weight: 22, wrap: true },
        { header: t('pdf.invoiceDate'), weight: 18 },
        { header: t('pdf.column.appliedOn'), weight: 18 },
        { header: t('pdf.column.invoiceAmount', { currency }), weight: 21, align: 'right' },
        { header: t('pdf.column.applied', { currency }), weight: 21, align: 'right' },
      ],
      allocations.map((a) => [
        a.number,
        date(a.issueDate),
        date(a.appliedOn),
        words.amount(a.total, currency),
        words.amount(a.amount, currency),
      ]),
    );
  }
  const applied = allocations.reduce((sum, a) => sum + a.amount, 0);
  drawSummary(doc, [
    { label: t('pdf.appliedToInvoices'), value: money(applied, currency) },
    {
      label: payment.retainerNumber ? t('pdf.retainerCredit') : t('pdf.unusedCredit'),
      value: money(payment.unapplied, currency),
    },
  ]);
  drawParagraph(doc, t('pdf.notes'), payment.notes);
  return { filename: fileNameOf(payment.number, 'pdf'), pdf: await finish(doc) };
}
