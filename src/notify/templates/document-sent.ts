import {
  button,
  emailWords,
  escapeHtml,
  greeting,
  layout,
  note,
  oneLine,
  paragraph,
  type RenderedEmail,
  safeSubject,
  safeUrl,
  textLayout,
} from '../email-layout.js';

export interface DocumentSentData {
  organizationName: string;
  contactName: string | null;
  /** "Invoice INV-00042", "Estimate EST-00012". */
  documentLabel: string;
  /** The amount and date lines: [{label: 'Amount due', value: 'USD 1,200.00'}, {label: 'Due date', …}]. */
  facts: Array<{ label: string; value: string }>;
  /** The document in the client portal (built from PUBLIC_URL); null when the portal is off. */
  portalUrl: string | null;
  /** The name of the attached PDF. */
  attachmentName: string;
  /** The recipient's locale ("de", "fr-CA"), the caller having built the label and facts in it; English without. */
  locale?: string;
}

/** The business sends an invoice or an estimate to its customer's contact persons: the PDF and a portal link. */
export function documentSent(data: DocumentSentData): RenderedEmail {
  const words = emailWords(data.locale);
  const { t } = words;
  const organization = oneLine(data.organizationName);
  const document = oneLine(data.documentLabel, 100);
  const subject = safeSubject(t('documentSent.subject', { document, organization }));
  const facts = data.facts.map((fact) => ({ label: oneLine(fact.label, 50), value: oneLine(fact.value, 100) }));
  const attachment = oneLine(data.attachmentName, 150);
  const portalUrl = data.portalUrl ? safeUrl(data.portalUrl) : null;

  const sentYou = t('documentSent.sentYou', { organization, document });
  const attached = t('documentSent.attached', { file: attachment });
  const text = textLayout(
    organization,
    [
      greeting(data.contactName, words),
      sentYou,
      ...(facts.length > 0 ? [facts.map((fact) => `${fact.label}: ${fact.value}`).join('\n')] : []),
      attached,
      ...(portalUrl ? [`${t('documentSent.viewInPortalText')}\n${portalUrl}`] : []),
    ],
    words,
  );

  const html = layout({
    organizationName: organization,
    subject,
    preheader: sentYou,
    words,
    body: [
      paragraph(escapeHtml(greeting(data.contactName, words))),
      paragraph(escapeHtml(sentYou)),
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
      ...(portalUrl ? [button(t('documentSent.viewInPortal'), portalUrl, words)] : []),
      note(escapeHtml(attached)),
    ].join('\n'),
  });

  return { subject, text, html };
}
