import { createHash } from 'node:crypto';
import { type Words, wordsFor } from '../../i18n/words.js';
import { addressLines, formatAmount } from '../../pdf/format.js';
import { netBalanceWords, statementKindWords, statementLineDetails } from './line-details.js';
import type { CustomerStatement } from './service.js';

/**
 * The statement as CSV and as a print-friendly HTML page. Both carry text users typed (customer names,
 * references), so both encode it: CSV cells that a spreadsheet would run as a formula are defused (SECURITY.md
 * regression 9), HTML is escaped and the page runs no script.
 */

const FORMULA_START = /^[=+\-@\t\r\0]/;
/** Amounts Portico itself wrote ("-12.50"): a spreadsheet reads them as numbers, never as formulas. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** One CSV cell: formula prefixes (= + - @ tab CR NUL) get a leading apostrophe, then RFC 4180 quoting. */
export function csvCell(value: string, options: { number?: boolean } = {}): string {
  const safe = !(options.number && PLAIN_NUMBER.test(value)) && FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/**
 * The statement's lines as CSV, their words (columns, transactions, details) in the reader's language; dates stay
 * ISO and amounts plain numbers, so that a spreadsheet reads them whatever its locale.
 */
export function statementCsv(statement: CustomerStatement, words: Words = wordsFor('en')): string {
  const { t } = words;
  const { currency } = statement;
  const plain = (minor: number) => formatAmount(minor, currency).replace(/,/g, '');
  const rows: string[][] = [];
  const text = (value: string) => csvCell(value);
  const number = (value: string) => csvCell(value, { number: true });
  rows.push(
    [
      t('statement.csv.customer'),
      t('pdf.date'),
      t('statement.column.transaction'),
      t('statement.column.number'),
      t('statement.column.details'),
      t('statement.csv.amount'),
      t('statement.csv.payments'),
      t('statement.csv.balance'),
      t('statement.currency'),
    ].map(text),
  );
  for (const line of statement.lines) {
    const isCredit = line.kind === 'payment' || line.kind === 'write_off';
    rows.push([
      text(statement.customer.displayName),
      text(line.date),
      text(statementKindWords(words, line.kind)),
      text(line.number ?? ''),
      text(statementLineDetails(words, line)),
      isCredit ? text('') : number(plain(line.amount)),
      line.payment === 0 ? text('') : number(plain(line.payment)),
      number(plain(line.balance)),
      text(currency),
    ]);
  }
  // A BOM so that spreadsheet programs read UTF-8 names ("Kōbe Works") correctly.
  return `\uFEFF${rows.map((row) => row.join(',')).join('\r\n')}\r\n`;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

/** The page's only style, allowed by its hash in the page's Content-Security-Policy (no 'unsafe-inline'). */
export const STATEMENT_CSS = `
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #1f2328; margin: 24px; font-size: 13px; }
header { display: flex; justify-content: space-between; gap: 24px; margin-bottom: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
.muted { color: #5b636b; }
.org p, .customer p { margin: 0; }
.summary { margin: 16px 0 24px auto; border-collapse: collapse; min-width: 320px; }
.summary td { padding: 3px 0; }
.summary td.amount { text-align: right; padding-left: 24px; }
.summary tr.total td { font-weight: bold; border-top: 1px solid #d0d7de; }
table.lines { width: 100%; border-collapse: collapse; }
table.lines th, table.lines td { padding: 4px 6px; border-bottom: 1px solid #d0d7de; text-align: left; vertical-align: top; }
table.lines th { background: #f3f4f6; }
table.lines .amount { text-align: right; white-space: nowrap; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
@media print { body { margin: 0; } a { color: inherit; text-decoration: none; } }
`;

export const STATEMENT_CSS_HASH = `sha256-${createHash('sha256').update(STATEMENT_CSS).digest('base64')}`;

/** The printable page, in the reader's words (the signed-in contact's language), dates and amounts as the PDF's. */
export function statementHtml(
  organization: { name: string; address: string },
  statement: CustomerStatement,
  words: Words = wordsFor('en'),
): string {
  const { t, date } = words;
  const { currency } = statement;
  const e = escapeHtml;
  const money = (minor: number) => e(words.money(minor, currency));
  const amount = (minor: number) => e(words.amount(minor, currency));
  const paragraphs = (lines: string[]) => lines.map((line) => `<p>${e(line)}</p>`).join('');
  const customerLines = [statement.customer.companyName, ...addressLines(statement.customer.billingAddress)].filter(
    (line): line is string => typeof line === 'string' && line !== '',
  );
  const period = t('statement.periodRange', { from: date(statement.from), to: date(statement.to) });
  const rows = statement.lines
    .map((line) => {
      const isCredit = line.kind === 'payment' || line.kind === 'write_off';
      return `<tr><td>${e(date(line.date))}</td><td>${e(statementKindWords(words, line.kind))}</td><td>${e(line.number ?? '')}</td><td>${e(statementLineDetails(words, line))}</td><td class="amount">${isCredit ? '' : amount(line.amount)}</td><td class="amount">${line.payment === 0 ? '' : amount(line.payment)}</td><td class="amount">${amount(line.balance)}</td></tr>`;
    })
    .join('\n');
  // What the net balance is made of, as Home tells it, when the statement reaches today.
  const balance = statement.balance;
  const balanceNow = balance
    ? `<table class="summary"><caption>${e(t('statement.balanceToday'))}</caption>${[
        ...(balance.broughtForward === 0 ? [] : [[t('statement.broughtForward'), balance.broughtForward] as const]),
        [t('statement.outstandingInvoices'), balance.outstandingInvoices] as const,
        [t('statement.creditAvailable'), balance.creditAvailable] as const,
      ]
        .map(([label, value]) => `<tr><td>${e(label)}</td><td class="amount">${money(value)}</td></tr>`)
        .join('')}</table>`
    : '';
  return `<!doctype html>
<html lang="${e(words.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(t('statement.title'))} — ${e(statement.customer.displayName)} — ${e(period)}</title>
<style>${STATEMENT_CSS}</style>
</head>
<body>
<header>
<div class="org"><h1>${e(organization.name)}</h1>${paragraphs(addressLines(organization.address))}</div>
<div><h1>${e(t('statement.title'))}</h1><p class="muted">${e(period)}</p></div>
</header>
<section class="customer"><p class="muted">${e(t('statement.to'))}</p><p><strong>${e(statement.customer.displayName)}</strong></p>${paragraphs(customerLines)}</section>
<table class="summary">
<tr><td>${e(t('statement.openingBalance'))}</td><td class="amount">${money(statement.openingBalance)}</td></tr>
<tr><td>${e(t('statement.invoicedAmount'))}</td><td class="amount">${money(statement.invoiced)}</td></tr>
<tr><td>${e(t('statement.amountReceived'))}</td><td class="amount">${money(statement.received)}</td></tr>
<tr><td>${e(t('statement.writtenOff'))}</td><td class="amount">${money(statement.writtenOff)}</td></tr>
<tr class="total"><td>${e(t('statement.netBalance'))}</td><td class="amount">${e(netBalanceWords(words, statement.balanceDue, currency))}</td></tr>
</table>
${balanceNow}
<table class="lines">
<thead><tr><th>${e(t('pdf.date'))}</th><th>${e(t('statement.column.transaction'))}</th><th>${e(t('statement.column.number'))}</th><th>${e(t('statement.column.details'))}</th><th class="amount">${e(t('pdf.column.amount', { currency }))}</th><th class="amount">${e(t('statement.column.payments', { currency }))}</th><th class="amount">${e(t('statement.column.balance', { currency }))}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}
