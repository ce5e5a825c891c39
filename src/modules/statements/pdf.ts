import type { AppContext } from '../../context.js';
import { addressLines, fileNameOf, formatAmount, formatMoney } from '../../pdf/format.js';
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
import type { CustomerStatement } from './service.js';
import { balanceRows, netBalanceWords, statementKindLabel } from './service.js';

/** The statement of accounts as a PDF: summary first, then every line with its running balance. */
export async function statementPdf(org: PdfOrganization, statement: CustomerStatement): Promise<Buffer> {
  const { currency } = statement;
  const doc = newDocument(`Statement of accounts ${statement.from} – ${statement.to}`);
  drawHeader(doc, org, {
    title: 'Statement of accounts',
    facts: [
      ['Period', `${statement.from} to ${statement.to}`],
      ['Currency', currency],
    ],
  });
  drawParty(doc, {
    label: 'To',
    name: statement.customer.displayName,
    lines: [statement.customer.companyName, ...addressLines(statement.customer.billingAddress)].filter(
      (line): line is string => typeof line === 'string' && line !== '' && line !== statement.customer.displayName,
    ),
  });
  drawSummary(doc, [
    { label: 'Opening balance', value: formatMoney(statement.openingBalance, currency) },
    { label: 'Invoiced amount', value: formatMoney(statement.invoiced, currency) },
    { label: 'Amount received', value: formatMoney(statement.received, currency) },
    { label: 'Written off', value: formatMoney(statement.writtenOff, currency) },
    { label: 'Net balance', value: netBalanceWords(statement.balanceDue, currency), bold: true },
  ]);
  const rows: Cell[][] = statement.lines.map((line) => [
    line.date,
    statementKindLabel(line.kind),
    line.number ?? '',
    line.details,
    line.kind === 'payment' || line.kind === 'write_off' ? '' : formatAmount(line.amount, currency),
    line.payment === 0 ? '' : formatAmount(line.payment, currency),
    { text: formatAmount(line.balance, currency), bold: true },
  ]);
  drawTable(
    doc,
    [
      { header: 'Date', weight: 12 },
      { header: 'Transaction', weight: 14, wrap: true },
      { header: 'Number', weight: 14, wrap: true },
      { header: 'Details', weight: 21, wrap: true },
      { header: `Amount (${currency})`, weight: 13, align: 'right' },
      { header: `Payments (${currency})`, weight: 13, align: 'right' },
      { header: `Balance (${currency})`, weight: 13, align: 'right' },
    ],
    rows,
  );
  // The last running balance, and — when the statement reaches today — what it is made of, as Home shows it.
  drawSummary(doc, [
    ...(statement.balance ? balanceRows(statement.balance) : []),
    { label: 'Net balance', value: netBalanceWords(statement.balanceDue, currency), bold: true },
  ]);
  return finish(doc);
}

export async function renderStatementPdf(
  ctx: AppContext,
  organizationId: string,
  statement: CustomerStatement,
): Promise<{ filename: string; pdf: Buffer }> {
  const org = await loadPdfOrganization(ctx, organizationId);
  return {
    filename: fileNameOf(`statement-${statement.from}-${statement.to}`, 'pdf'),
    pdf: await statementPdf(org, statement),
  };
}
