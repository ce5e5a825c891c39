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

export interface PasswordResetData {
  organizationName: string;
  contactName: string | null;
  /** The single-use link to choose a new password. */
  resetUrl: string;
  expiresInMinutes: number;
}

/** Someone asked for a new portal password for this contact ("forgot password"). */
export function passwordReset(data: PasswordResetData): RenderedEmail {
  const organization = oneLine(data.organizationName);
  const expiry = minutesInWords(data.expiresInMinutes);
  const subject = safeSubject(`Reset your password for the ${organization} client portal`);

  const text = textLayout(organization, [
    greeting(data.contactName),
    `We received a request to reset the password of your ${organization} client portal account.`,
    `Choose a new password here:\n${safeUrl(data.resetUrl)}`,
    `The link works once and expires in ${expiry}.`,
    'If you did not ask for this, you can ignore this e-mail: your password stays as it is.',
  ]);

  const html = layout({
    organizationName: organization,
    subject,
    preheader: `Choose a new password within ${expiry}.`,
    body: [
      paragraph(escapeHtml(greeting(data.contactName))),
      paragraph(
        `We received a request to reset the password of your ${escapeHtml(organization)} client portal account.`,
      ),
      button('Choose a new password', data.resetUrl),
      note(`The link works once and expires in ${escapeHtml(expiry)}.`),
      note('If you did not ask for this, you can ignore this e-mail: your password stays as it is.'),
    ].join('\n'),
  });

  return { subject, text, html };
}
