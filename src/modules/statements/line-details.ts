import { netBalanceSide } from '../../domain/customer-balance.js';
import { isPaymentMode } from '../../domain/payment-modes.js';
import type { StatementLine } from '../../domain/statement.js';
import type { ServerMessageKey, Words } from '../../i18n/words.js';

const KINDS = ['opening_balance', 'invoice', 'payment', 'write_off'];

/** A line's kind in the reader's words: "Invoice", "Rechnung". */
export const statementKindWords = ({ t }: Words, kind: string): string =>
  KINDS.includes(kind) ? t(`statement.kind.${kind}` as ServerMessageKey) : kind;

const modeWords = ({ t }: Words, mode: string | null): string =>
  isPaymentMode(mode) ? t(`mode.${mode}`) : (mode ?? '');

/**
 * A statement line's details in the reader's words, written from its facts: "Due 2026-04-14", "Fällig am
 * 14.04.2026", "Write-off of INV-00012", "Payment (Bank transfer), ref. 1042", "Retainer payment for RET-00003",
 * a test payment's label first. The web apps write the same sentences from the same facts with their catalogues.
 */
export function statementLineDetails(words: Words, line: StatementLine): string {
  const { t, date } = words;
  switch (line.kind) {
    case 'opening_balance':
      return statementKindWords(words, line.kind);
    case 'invoice':
      return line.dueDate === null ? '' : t('statement.line.due', { date: date(line.dueDate) });
    case 'write_off':
      return t('statement.line.writeOff', { number: line.number ?? '' });
    case 'payment': {
      const what =
        line.retainerInvoiceNumber === null
          ? t('statement.line.payment', { mode: modeWords(words, line.paymentMode) })
          : t('statement.line.retainerPayment', { number: line.retainerInvoiceNumber });
      const details =
        line.paymentReference === null
          ? what
          : t('statement.line.reference', { details: what, reference: line.paymentReference });
      return line.testMode ? t('statement.line.testPayment', { label: t('pdf.testPayment'), details }) : details;
    }
    default:
      return '';
  }
}

/** "USD 487.13 due", "Credit USD 1,812.87 in your favour" (a statement is addressed to the customer) or "USD 0.00". */
export function netBalanceWords({ t, money }: Words, netBalance: number, currency: string): string {
  switch (netBalanceSide(netBalance)) {
    case 'due':
      return t('statement.due', { amount: money(netBalance, currency) });
    case 'credit':
      return t('statement.inFavour', { amount: money(-netBalance, currency) });
    default:
      return money(0, currency);
  }
}
