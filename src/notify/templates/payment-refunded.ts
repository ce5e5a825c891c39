import { TEST_PAYMENT_LABEL } from '../../domain/test-mode.js';
import {
  button,
  escapeHtml,
  layout,
  oneLine,
  paragraph,
  type RenderedEmail,
  safeSubject,
  textLayout,
} from '../email-layout.js';

export interface PaymentRefundedData {
  organizationName: string;
  /** "Stripe", "PayPal". */
  gateway: string;
  /** "Alice Baker of Bluebird Bakery". */
  payer: string;
  /** The payment's number in Portico. */
  paymentNumber: string;
  /** What was refunded so far, "USD 1,200.00". */
  refunded: string;
  when: string;
  /** The payment in the back office. */
  paymentUrl: string;
  testMode?: boolean;
}

/**
 * Tells the owners and admins that a portal payment was refunded at the gateway (from its dashboard): Portico's
 * books still count it as received until the business changes the payment.
 */
export function paymentRefunded(data: PaymentRefundedData): RenderedEmail {
  const organization = oneLine(data.organizationName);
  const headline = `Payment ${oneLine(data.paymentNumber, 60)} by ${oneLine(data.payer)} was refunded on ${oneLine(data.gateway, 40)}`;
  const subject = safeSubject(`${data.testMode ? `${TEST_PAYMENT_LABEL}: ` : ''}${headline}`);
  const refunded = oneLine(data.refunded, 60);
  const books =
    'Portico has not changed its books: the payment still counts as received. Edit or delete the payment in Portico so that the invoices show what is really owed.';
  const text = textLayout(organization, [
    `${headline}.`,
    ...(data.testMode ? [`${TEST_PAYMENT_LABEL}.`] : []),
    `Refunded: ${refunded}`,
    books,
    `When: ${oneLine(data.when)}`,
    `Open the payment in Portico:\n${data.paymentUrl}`,
  ]);
  const html = layout({
    organizationName: organization,
    subject,
    preheader: headline,
    body: [
      paragraph(`${escapeHtml(headline)}.`),
      ...(data.testMode ? [paragraph(`<strong>${escapeHtml(TEST_PAYMENT_LABEL)}.</strong>`)] : []),
      paragraph(`<strong>Refunded:</strong> ${escapeHtml(refunded)}`),
      paragraph(escapeHtml(books)),
      paragraph(`When: ${escapeHtml(oneLine(data.when))}`),
      button('Open the payment', data.paymentUrl),
    ].join('\n'),
  });
  return { subject, text, html };
}
