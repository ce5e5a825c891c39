import {
  emailWords,
  escapeHtml,
  layout,
  note,
  oneLine,
  paragraph,
  type RenderedEmail,
  safeSubject,
  textLayout,
} from '../email-layout.js';

export interface DocumentForwardedData {
  organizationName: string;
  /** The contact person who forwarded it ("Alice Baker"). */
  senderName: string;
  /** Their company, the organization's customer ("Bluebird Bakery"). */
  customerName: string;
  /** "invoice INV-00042", "estimate EST-00012" (`forwarded.invoice`, `forwarded.estimate`). */
  documentLabel: string;
  /** The amount and date lines: [{label: 'Balance due', value: 'USD 1,200.00'}, {label: 'Due date', …}]. */
  facts: Array<{ label: string; value: string }>;
  /** What the sender wrote to the recipient, quoted as it is (escaped). */
  message: string | null;
  /** The name of the attached PDF. */
  attachmentName: string;
  /** The forwarding contact's locale, the caller having written the label and facts in it; English without. */
  locale?: string;
}

/**
 * A client forwards an estimate or invoice from the portal to someone else (a colleague, their accountant).
 * The recipient has no portal access, so the e-mail carries no link: the document is the attached PDF.
 */
export function documentForwarded(data: DocumentForwardedData): RenderedEmail {
  const words = emailWords(data.locale);
  const { t } = words;
  const organization = oneLine(data.organizationName);
  const sender = oneLine(data.senderName);
  const customer = oneLine(data.customerName);
  const document = oneLine(data.documentLabel, 100);
  const headline = t('forwarded.headline', { sender, customer, document, organization });
  const subject = safeSubject(headline);
  const message = data.message?.trim() ? data.message.trim().slice(0, 2000) : null;
  const facts = data.facts.map((fact) => ({ label: oneLine(fact.label, 50), value: oneLine(fact.value, 100) }));
  const attachment = oneLine(data.attachmentName, 150);
  const hello = t('email.helloNoName');
  const sentence = t('forwarded.sentence', { headline });
  const wrote = t('forwarded.wrote', { sender });
  const attached = t('forwarded.attached', { document, file: attachment });
  const questions = t('forwarded.questions', { sender, organization });

  const text = textLayout(
    organization,
    [
      hello,
      sentence,
      ...(message ? [`${wrote}\n${message.replace(/^/gm, '> ')}`] : []),
      ...(facts.length > 0 ? [facts.map((fact) => `${fact.label}: ${fact.value}`).join('\n')] : []),
      attached,
      questions,
    ],
    words,
  );

  const html = layout({
    organizationName: organization,
    subject,
    preheader: headline,
    words,
    body: [
      paragraph(escapeHtml(hello)),
      paragraph(escapeHtml(sentence)),
      ...(message
        ? [
            paragraph(escapeHtml(wrote)),
            `<blockquote style="margin:0 0 16px 0;padding:8px 16px;border-left:3px solid #e4e7eb;color:#1f2933;white-space:pre-wrap;">${escapeHtml(message)}</blockquote>`,
          ]
        : []),
      ...(facts.length > 0
        ? [
            `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px 0;font-size:15px;line-height:24px;color:#1f2933;">${facts
              .map(
                (fact) =>
                  `<tr><td style="padding:0 16px 0 0;color:#616e7c;">${escapeHtml(fact.label)}</td><td style="font-weight:600;">${escapeHtml(fact.value)}</td></tr>`,
              )
              .join('')}</table>`,
          ]
        : []),
      paragraph(escapeHtml(attached)),
      note(escapeHtml(questions)),
    ].join('\n'),
  });

  return { subject, text, html };
}
