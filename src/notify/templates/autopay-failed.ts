import { TEST_PAYMENT_LABEL } from '../../domain/test-mode.js';
import {
  button,
  escapeHtml,
  greeting,
  layout,
  oneLine,
  paragraph,
  type RenderedEmail,
  safeSubject,
  textLayout,
} from '../email-layout.js';

export interface AutopayFailedData {
  organizationName: string;
  contactName: string | null;
  /** "INV-00042". */
  invoiceNumber: string;
  /** The recurring profile's name. */
  profileName: string;
  /** "USD 1,200.00". */
  amount: string;
  /** A CP code or a card-level code (`card_declined`). */
  code: string;
  /** The plain sentence the portal shows for the code. */
  clientMessage: string;
  /** PUBLIC_URL/portal/<slug>/invoices/<id>. */
  payUrl: string;
  /** The charge was tried through a gateway in test mode: no card would have been charged. */
  testMode?: boolean;
}

/** Tells the client that the automatic payment of a recurring invoice did not go through, and where to pay it. */
export function autopayFailed(data: AutopayFailedData): RenderedEmail {
  const organization = oneLine(data.organizationName);
  const number = oneLine(data.invoiceNumber, 40);
  const amount = oneLine(data.amount, 60);
  const code = oneLine(data.code, 40);
  const profile = oneLine(data.profileName);
  const message = oneLine(data.clientMessage, 500);
  const label = data.testMode ? `${TEST_PAYMENT_LABEL}: ` : '';
  const subject = safeSubject(
    `${label}The automatic payment of invoice ${number} from ${organization} did not go through`,
  );
  const happened = `We tried to charge ${amount} for invoice ${number} (${profile}) to the card you authorized for automatic payments, and it did not go through.`;
  const text = textLayout(organization, [
    greeting(data.contactName),
    ...(data.testMode ? [`${TEST_PAYMENT_LABEL}.`] : []),
    happened,
    `${message} (code ${code})`,
    'The invoice is still unpaid. You can pay it in the portal:',
    data.payUrl,
  ]);
  const html = layout({
    organizationName: organization,
    subject,
    preheader: `Invoice ${number} is still unpaid: the automatic payment did not go through.`,
    body: [
      paragraph(escapeHtml(greeting(data.contactName))),
      ...(data.testMode ? [paragraph(`<strong>${escapeHtml(TEST_PAYMENT_LABEL)}.</strong>`)] : []),
      paragraph(escapeHtml(happened)),
      paragraph(`${escapeHtml(message)} (code <strong>${escapeHtml(code)}</strong>)`),
      paragraph('The invoice is still unpaid. You can pay it in the portal.'),
      button('Pay the invoice in the portal', data.payUrl),
    ].join('\n'),
  });
  return { subject, text, html };
}
