import { exponentOf, minorToPlainDecimal } from '../../domain/currencies.js';
import { AppError } from '../../domain/errors.js';

/**
 * Minor units as an EN 16931 amount: a plain decimal with at most two decimals (BR-DEC rules). JPY writes
 * "1234", USD "12.34"; a currency with three decimals (KWD) is written exactly when the amount is whole tens of
 * fils, and otherwise refused — rounding it would make the e-invoice disagree with the invoice.
 */
export function amountText(minor: number, currency: string): string {
  const exponent = exponentOf(currency) ?? 2;
  if (exponent <= 2) return minorToPlainDecimal(minor, exponent);
  const step = 10 ** (exponent - 2);
  if (minor % step !== 0) {
    const message =
      `E-invoices (EN 16931) carry amounts with at most two decimals, and this ${currency} invoice has an amount of ` +
      `${minorToPlainDecimal(minor, exponent)}: rounding it would change the invoice.`;
    throw new AppError('e_invoice_unsupported', message, [{ path: '/currency', message }]);
  }
  return minorToPlainDecimal(minor / step, 2);
}
