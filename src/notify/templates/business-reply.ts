import {
  button,
  emailWords,
  escapeHtml,
  greeting,
  layout,
  oneLine,
  paragraph,
  type RenderedEmail,
  safeSubject,
  safeUrl,
  textLayout,
} from '../email-layout.js';

export interface BusinessReplyData {
  organizationName: string;
  contactName: string | null;
  /** What the comment is on, in words: "invoice INV-00042", "project Website redesign". */
  subjectLabel: string;
  /** The business's comment, plain text as written. */
  text: string;
  /** The document in the client portal (built from PUBLIC_URL). */
  portalUrl: string;
  /** The contact's locale ("de", "fr-CA"); English without. */
  locale?: string;
}

/** The business commented on a document, marked "display in client portal" ("e-mail my customer when I comment"). */
export function businessReply(data: BusinessReplyData): RenderedEmail {
  const words = emailWords(data.locale);
  const { t } = words;
  const organization = oneLine(data.organizationName);
  const label = oneLine(data.subjectLabel, 250);
  const subject = safeSubject(t('businessReply.subject', { organization, label }));
  const comment = data.text.trim().slice(0, 5000);
  const commented = t('businessReply.commented', { organization, label });

  const text = textLayout(
    organization,
    [
      greeting(data.contactName, words),
      commented,
      comment.replace(/^/gm, '> '),
      `${t('businessReply.readText')}\n${safeUrl(data.portalUrl)}`,
    ],
    words,
  );

  const html = layout({
    organizationName: organization,
    subject,
    preheader: t('businessReply.subject', { organization, label }),
    words,
    body: [
      paragraph(escapeHtml(greeting(data.contactName, words))),
      paragraph(escapeHtml(commented)),
      `<blockquote style="margin:0 0 16px 0;padding:8px 16px;border-left:3px solid #e4e7eb;color:#1f2933;white-space:pre-wrap;">${escapeHtml(comment)}</blockquote>`,
      button(t('businessReply.read'), data.portalUrl, words),
    ].join('\n'),
  });

  return { subject, text, html };
}
