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

export interface SecondFactorsResetData {
  organizationName: string;
  contactName: string | null;
  portalUrl: string;
  /** When the business removed the second factors (ISO timestamp or Date). */
  resetAt: string | Date;
  /** The organization's time zone for the date shown; UTC when absent or unknown. */
  timeZone?: string;
}

/** The business removed a contact person's second factors (a lost device): tells them, in case it was not asked. */
export function secondFactorsReset(data: SecondFactorsResetData): RenderedEmail {
  const organization = oneLine(data.organizationName);
  const when = formatDateTime(data.resetAt, data.timeZone);
  const subject = safeSubject(`The second factors of your ${organization} client portal account were removed`);

  const text = textLayout(organization, [
    greeting(data.contactName),
    `${organization} removed the passkeys, authenticator apps and recovery codes of your client portal account on ${when}. You now sign in with your password alone, and can set up a new second factor under Account.`,
    `If you did not ask for this, let ${organization} know at once:\n${safeUrl(data.portalUrl)}`,
  ]);

  const html = layout({
    organizationName: organization,
    subject,
    preheader: `Your portal account's second factors were removed on ${when}.`,
    body: [
      paragraph(escapeHtml(greeting(data.contactName))),
      paragraph(
        `${escapeHtml(organization)} removed the passkeys, authenticator apps and recovery codes of your client portal account on ${escapeHtml(when)}. You now sign in with your password alone, and can set up a new second factor under Account.`,
      ),
      note(
        `If you did not ask for this, let ${escapeHtml(organization)} know at once (${link('your portal', data.portalUrl)}).`,
      ),
    ].join('\n'),
  });

  return { subject, text, html };
}
