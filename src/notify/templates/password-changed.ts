import {
  escapeHtml,
  formatDateTime,
  greeting,
  layout,
  link,
  note,
  oneLine,
  paragraph,
  type RenderedEmail,
  safeSubject,
  safeUrl,
  textLayout,
} from '../email-layout.js';

export interface PasswordChangedData {
  organizationName: string;
  contactName: string | null;
  portalUrl: string;
  /** When the password changed (ISO timestamp or Date). */
  changedAt: string | Date;
  /** The organization's time zone for the date shown; UTC when absent or unknown. */
  timeZone?: string;
}

/** A portal password was changed or reset: tells the account's owner, in case it was not them. */
export function passwordChanged(data: PasswordChangedData): RenderedEmail {
  const organization = oneLine(data.organizationName);
  const when = formatDateTime(data.changedAt, data.timeZone);
  const subject = safeSubject(`Your password for the ${organization} client portal was changed`);

  const text = textLayout(organization, [
    greeting(data.contactName),
    `The password of your ${organization} client portal account was changed on ${when}.`,
    'If this was you, there is nothing more to do.',
    `If it was not you, reset your password now with "Forgot password" on the sign-in page, and let ${organization} know:\n${safeUrl(data.portalUrl)}`,
  ]);

  const html = layout({
    organizationName: organization,
    subject,
    preheader: `Your portal password was changed on ${when}.`,
    body: [
      paragraph(escapeHtml(greeting(data.contactName))),
      paragraph(
        `The password of your ${escapeHtml(organization)} client portal account was changed on ${escapeHtml(when)}.`,
      ),
      paragraph('If this was you, there is nothing more to do.'),
      note(
        `If it was not you, reset your password now with “Forgot password” on the ${link('sign-in page', data.portalUrl)}, and let ${escapeHtml(organization)} know.`,
      ),
    ].join('\n'),
  });

  return { subject, text, html };
}
