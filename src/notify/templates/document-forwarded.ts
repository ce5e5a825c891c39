import {
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
  /** "invoice INV-00042", "estimate EST-00012". */
  documentLabel: string;
  /** The amount and date lines: [{label: 'Balance due', value: 'USD 1,200.00'}, {label: 'Due date', …}]. */
  facts: Array<{ label: string; value: string }>;
  /** What the sender wrote to the recipient, quoted as it is (escaped). */
  message: string | null;
  /** The name of the attached PDF. */
  attachmentName: string;
}

/**
 * A client forwards an estimate or invoice from the portal to someone else (a colleague, their accountant).
 * The recipient has no portal access, so the e-mail carries no link: the document is the attached PDF.
 */
export function documentForwarded(data: DocumentForwardedData): RenderedEmail {
  const organization = oneLine(data.organizationName);
  const sender = oneLine(data.senderName);
  const customer = oneLine(data.customerName);
  const document = oneLine(data.documentLabel, 100);
  const headline = `${sender} of ${customer} forwarded you ${document} from ${organization}`;
  const subject = safeSubject(headline);
  const message = data.message?.trim() ? data.message.trim().slice(0, 2000) : null;
  const facts = data.facts.map((fact) => ({ label: oneLine(fact.label, 50), value: oneLine(fact.value, 100) }));
  const attachment = oneLine(data.attachmentName, 150);

  const text = textLayout(organization, [
    'Hello,',
    `${headline}.`,
    ...(message ? [`${sender} wrote:\n${message.replace(/^/gm, '> ')}`] : []),
    ...(facts.length > 0 ? [facts.map((fact) => `${fact.label}: ${fact.value}`).join('\n')] : []),
    `The ${document} is attached as a PDF (${attachment}).`,
    `Questions about it? Ask ${sender} or ${organization}. If you were not expecting this e-mail, you can ignore it.`,
  ]);

  const html = layout({
    organizationName: organization,
    subject,
    preheader: headline,
    body: [
      paragraph('Hello,'),
      paragraph(`${escapeHtml(headline)}.`),
      ...(message
        ? [
            paragraph(`${escapeHtml(sender)} wrote:`),
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
      paragraph(`The ${escapeHtml(document)} is attached as a PDF (${escapeHtml(attachment)}).`),
      note(
        `Questions about it? Ask ${escapeHtml(sender)} or ${escapeHtml(organization)}. If you were not expecting this e-mail, you can ignore it.`,
      ),
    ].join('\n'),
  });

  return { subject, text, html };
}
