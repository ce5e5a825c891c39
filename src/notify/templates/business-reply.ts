import {
  button,
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
}

/** The business commented on a document, marked "display in client portal" ("e-mail my customer when I comment"). */
export function businessReply(data: BusinessReplyData): RenderedEmail {
  const organization = oneLine(data.organizationName);
  const label = oneLine(data.subjectLabel, 250);
  const subject = safeSubject(`${organization} commented on ${label}`);
  const comment = data.text.trim().slice(0, 5000);

  const text = textLayout(organization, [
    greeting(data.contactName),
    `${organization} commented on ${label}:`,
    comment.replace(/^/gm, '> '),
    `Read and reply in the client portal:\n${safeUrl(data.portalUrl)}`,
  ]);

  const html = layout({
    organizationName: organization,
    subject,
    preheader: `${organization} commented on ${label}`,
    body: [
      paragraph(escapeHtml(greeting(data.contactName))),
      paragraph(`${escapeHtml(organization)} commented on ${escapeHtml(label)}:`),
      `<blockquote style="margin:0 0 16px 0;padding:8px 16px;border-left:3px solid #e4e7eb;color:#1f2933;white-space:pre-wrap;">${escapeHtml(comment)}</blockquote>`,
      button('Read and reply', data.portalUrl),
    ].join('\n'),
  });

  return { subject, text, html };
}
