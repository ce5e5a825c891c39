import type { AppContext } from '../../context.js';
import { type Words, wordsFor, wordsForContact } from '../../i18n/words.js';
import { addressLines, fileNameOf } from '../../pdf/format.js';
import {
  type Cell,
  drawHeader,
  drawParty,
  drawSummary,
  drawTable,
  finish,
  newDocument,
  type PdfOrganization,
} from '../../pdf/layout.js';
import { loadPdfOrganization } from '../../pdf/organization.js';
import { netBalanceWords, statementKindWords, statementLineDetails } from './line-details.js';
import type { CustomerStatement } from './service.js';

/**
 * The statement of accounts as a PDF: summary first, then every line with its running balance; in the reader's
 * words (English without), the lines' details too.
 */
export async function statementPdf(
  org: PdfOrganization,
  statement: CustomerStatement,
  words: Words = wordsFor('en'),
): Promise<Buffer> {
  const { t, date, money, amount } = words;
  const { currency } = statement;
  const doc = newDocument(`${t('statement.title')} ${statement.from} – ${statement.to}`, words);
  drawHeader(doc, org, {
    title: t('statement.title'),
    facts: [
      [t('statement.period'), t('statement.periodRange', { from: date(statement.from), to: date(statement.to) })],
      [t('statement.currency'), currency],
    ],
  });
  drawParty(doc, {
    label: t('statement.to'),
    name: statement.customer.displayName,
    lines: [statement.customer.companyName, ...addressLines(statement.customer.billingAddress)].filter(
      (line): line is string => typeof line === 'string' && line !== '' && line !== statement.customer.displayName,
    ),
  });
  drawSummary(doc, [
    { label: t('statement.openingBalance'), value: money(statement.openingBalance, currency) },
    { label: t('statement.invoicedAmount'), value: money(statement.invoiced, currency) },
    { label: t('statement.amountReceived'), value: money(statement.received, currency) },
    { label: t('statement.writtenOff'), value: money(statement.writtenOff, currency) },
    { label: t('statement.netBalance'), value: netBalanceWords(words, statement.balanceDue, currency), bold: true },
  ]);
  const rows: Cell[][] = statement.lines.map((line) => [
    date(line.date),
    statementKindWords(words, line.kind),
    line.number ?? '',
    statementLineDetails(words, line),
    line.kind === 'payment' || line.kind === 'write_off' ? '' : amount(line.amount, currency),
    line.payment === 0 ? '' : amount(line.payment, currency),
    { text: amount(line.balance, currency), bold: true },
  ]);
  drawTable(
    doc,
    [
      { header: t('pdf.date'), weight: 12 },
      { header: t('statement.column.transaction'), weight: 14, wrap: true },
      { header: t('statement.column.number'), weight: 14, wrap: true },
      { header: t('statement.column.details'), weight: 21, wrap: true },
      { header: t('pdf.column.amount', { currency }), weight: 13, align: 'right' },
      { header: t('statement.column.payments', { currency }), weight: 13, align: 'right' },
      { header: t('statement.column.balance', { currency }), weight: 13, align: 'right' },
    ],
    rows,
  );
  // The last running balance, and — when the statement reaches today — what it is made of, as Home shows it.
  const balance = statement.balance;
  drawSummary(doc, [
    ...(balance
      ? [
          ...(balance.broughtForward === 0
            ? []
            : [{ label: t('statement.broughtForward'), value: money(balance.broughtForward, currency) }]),
          { label: t('statement.outstandingInvoices'), value: money(balance.outstandingInvoices, currency) },
          { label: t('statement.creditAvailable'), value: money(balance.creditAvailable, currency) },
        ]
      : []),
    { label: t('statement.netBalance'), value: netBalanceWords(words, statement.balanceDue, currency), bold: true },
  ]);
  return finish(doc);
}

/** The statement's PDF in `language` (the contact's; null: the organization's locale). */
export async function renderStatementPdf(
  ctx: AppContext,
  organizationId: string,
  statement: CustomerStatement,
  language: string | null = null,
): Promise<{ filename: string; pdf: Buffer }> {
  const org = await loadPdfOrganization(ctx, organizationId);
  return {
    filename: fileNameOf(`statement-${statement.from}-${statement.to}`, 'pdf'),
    pdf: await statementPdf(org, statement, wordsForContact(language, org.locale)),
  };
}
