import {
  emailWords,
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
  /** The payer's locale; the caller wrote the amount, date and lines in it. English without. */
  locale?: string;
}

/** The receipt a client gets after paying online in the portal, with the receipt PDF attached. */
export function paymentReceipt(data: PaymentReceiptData): RenderedEmail {
  const words = emailWords(data.locale);
  const { t } = words;
  const organization = oneLine(data.organizationName);
  const amount = oneLine(data.amount, 60);
  const number = oneLine(data.paymentNumber, 40);
  const testLabel = t('pdf.testPayment');
  const subject = safeSubject(
    `${data.testMode ? `${testLabel}: ` : ''}${t('receipt.subject', { number, organization })}`,
  );
  const lines = data.lines.map((l) => oneLine(l, 200));
  const testNote = `${testLabel}. ${t('receipt.testNote')}`;
  const thanks = t('receipt.thanks', { amount, date: oneLine(data.date, 40), number });
  const attached = t('receipt.attached', { file: oneLine(data.attachmentName, 150) });
  const text = textLayout(
    organization,
    [
      ...(data.testMode ? [testNote] : []),
      greeting(data.contactName, words),
      thanks,
      ...(lines.length > 0 ? [lines.map((l) => `- ${l}`).join('\n')] : []),
      attached,
    ],
    words,
  );
  const html = layout({
    organizationName: organization,
    subject,
    preheader: data.testMode ? `${testLabel}.` : t('receipt.preheader', { amount }),
    words,
    body: [
      ...(data.testMode ? [paragraph(`<strong>${escapeHtml(testNote)}</strong>`)] : []),
      paragraph(escapeHtml(greeting(data.contactName, words))),
      // The amount stands out: the escaped sentence, with the escaped amount in it made strong.
      paragraph(escapeHtml(thanks).replace(escapeHtml(amount), `<strong>${escapeHtml(amount)}</strong>`)),
      ...(lines.length > 0 ? [paragraph(lines.map((l) => escapeHtml(l)).join('<br>'))] : []),
      note(escapeHtml(attached)),
    ].join('\n'),
  });
  return { subject, text, html };
}
