import {
  button,
  emailWords,
  escapeHtml,
  greeting,
  htmlSentence,
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
  /** The contact's locale ("de", "fr-CA"), the caller having written the amount in it; English without. */
  locale?: string;
}

/** Tells the client that the automatic payment of a recurring invoice did not go through, and where to pay it. */
export function autopayFailed(data: AutopayFailedData): RenderedEmail {
  const words = emailWords(data.locale);
  const { t } = words;
  const organization = oneLine(data.organizationName);
  const number = oneLine(data.invoiceNumber, 40);
  const amount = oneLine(data.amount, 60);
  const code = oneLine(data.code, 40);
  const profile = oneLine(data.profileName);
  const message = oneLine(data.clientMessage, 500);
  const testLabel = t('pdf.testPayment');
  const label = data.testMode ? `${testLabel}: ` : '';
  const subject = safeSubject(`${label}${t('autopayFailed.subject', { number, organization })}`);
  const happened = t('autopayFailed.happened', { amount, number, profile });
  const text = textLayout(
    organization,
    [
      greeting(data.contactName, words),
      ...(data.testMode ? [`${testLabel}.`] : []),
      happened,
      `${message} ${t('autopayFailed.code', { code })}`,
      t('autopayFailed.stillUnpaidText'),
      data.payUrl,
    ],
    words,
  );
  const html = layout({
    organizationName: organization,
    subject,
    preheader: t('autopayFailed.preheader', { number }),
    words,
    body: [
      paragraph(escapeHtml(greeting(data.contactName, words))),
      ...(data.testMode ? [paragraph(`<strong>${escapeHtml(testLabel)}.</strong>`)] : []),
      paragraph(escapeHtml(happened)),
      paragraph(
        `${escapeHtml(message)} ${htmlSentence(words, 'autopayFailed.code', {}, { code: `<strong>${escapeHtml(code)}</strong>` })}`,
      ),
      paragraph(escapeHtml(t('autopayFailed.stillUnpaid'))),
      button(t('autopayFailed.pay'), data.payUrl, words),
    ].join('\n'),
  });
  return { subject, text, html };
}
