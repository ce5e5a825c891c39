import {
  button,
  escapeHtml,
  greeting,
  layout,
  minutesInWords,
  note,
  oneLine,
  paragraph,
  type RenderedEmail,
  safeSubject,
  safeUrl,
  textLayout,
} from '../email-layout.js';

export interface BusinessPasswordResetData {
  organizationName: string;
  userName: string;
  /** The single-use link to choose a new password. */
  resetUrl: string;
  expiresInMinutes: number;
}

/** Someone asked for a new back-office password for this business user ("forgot password"). */
export function businessPasswordReset(data: BusinessPasswordResetData): RenderedEmail {
  const organization = oneLine(data.organizationName);
  const expiry = minutesInWords(data.expiresInMinutes);
  const subject = safeSubject(`Reset your ${organization} back office password`);
  const request = `We received a request to reset the password you use to sign in to the ${organization} back office.`;
  const ignore = 'If you did not ask for this, you can ignore this e-mail: your password stays as it is.';

  const text = textLayout(organization, [
    greeting(data.userName),
    request,
    `Choose a new password here:\n${safeUrl(data.resetUrl)}`,
    `The link works once and expires in ${expiry}. Choosing a new password signs you out everywhere else.`,
    ignore,
  ]);

  const html = layout({
    organizationName: organization,
    subject,
    preheader: `Choose a new password within ${expiry}.`,
    body: [
      paragraph(escapeHtml(greeting(data.userName))),
      paragraph(escapeHtml(request)),
      button('Choose a new password', data.resetUrl),
      note(
        `The link works once and expires in ${escapeHtml(expiry)}. Choosing a new password signs you out everywhere else.`,
      ),
      note(escapeHtml(ignore)),
    ].join('\n'),
  });

  return { subject, text, html };
}
