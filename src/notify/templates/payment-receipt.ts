import { TEST_PAYMENT_LABEL } from '../../domain/test-mode.js';
import {
  escapeHtml,
  greeting,
  layout,
  note,
  oneLine,
  paragraph,
  type RenderedEmail,
  safeSubject,
  textLayout,
} from '../email-layout.js';

export interface PaymentReceiptData {
  organizationName: string;
  contactName: string | null;
  /** "PAY-00042". */
  paymentNumber: string;
  /** "USD 1,200.00". */
  amount: string;
  date: string;
  /** What it paid: ["Invoice INV-00042: USD 1,000.00", "Retainer invoice RET-00003: …"]. */
  lines: string[];
  /** The name of the attached receipt PDF. */
  attachmentName: string;
  /** Paid through a gateway in test mode: no money moved, and the e-mail says so first. */
  testMode?: boolean;
}

/** The receipt a client gets after paying online in the portal, with the receipt PDF attached. */
export function paymentReceipt(data: PaymentReceiptData): RenderedEmail {
  const organization = oneLine(data.organizationName);
  const amount = oneLine(data.amount, 60);
  const number = oneLine(data.paymentNumber, 40);
  const subject = safeSubject(
    `${data.testMode ? `${TEST_PAYMENT_LABEL}: ` : ''}Payment receipt ${number} from ${organization}`,
  );
  const lines = data.lines.map((l) => oneLine(l, 200));
  const testNote = `${TEST_PAYMENT_LABEL}. This payment was made in test mode: no card was charged.`;
  const text = textLayout(organization, [
    ...(data.testMode ? [testNote] : []),
    greeting(data.contactName),
    `Thank you: we received your payment of ${amount} on ${oneLine(data.date, 20)} (${number}).`,
    ...(lines.length > 0 ? [lines.map((l) => `- ${l}`).join('\n')] : []),
    `The receipt is attached (${oneLine(data.attachmentName, 150)}).`,
  ]);
  const html = layout({
    organizationName: organization,
    subject,
    preheader: data.testMode ? `${TEST_PAYMENT_LABEL}.` : `We received your payment of ${amount}.`,
    body: [
      ...(data.testMode ? [paragraph(`<strong>${escapeHtml(testNote)}</strong>`)] : []),
      paragraph(escapeHtml(greeting(data.contactName))),
      paragraph(
        `Thank you: we received your payment of <strong>${escapeHtml(amount)}</strong> on ${escapeHtml(oneLine(data.date, 20))} (${escapeHtml(number)}).`,
      ),
      ...(lines.length > 0 ? [paragraph(lines.map((l) => escapeHtml(l)).join('<br>'))] : []),
      note(`The receipt is attached (${escapeHtml(oneLine(data.attachmentName, 150))}).`),
    ].join('\n'),
  });
  return { subject, text, html };
}
