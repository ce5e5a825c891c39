import {
  button,
  escapeHtml,
  greeting,
  layout,
  link,
  note,
  oneLine,
  paragraph,
  plural,
  type RenderedEmail,
  safeSubject,
  safeUrl,
  textLayout,
} from '../email-layout.js';

export interface PortalInvitationData {
  organizationName: string;
  contactName: string | null;
  /** The organization's portal, for later visits. */
  portalUrl: string;
  /** What the contact signs in with: their e-mail address. */
  username: string;
  /** The single-use link that lets the contact choose a password. */
  acceptUrl: string;
  expiresInDays: number;
}

/** A contact person is given access to the organization's client portal. */
export function portalInvitation(data: PortalInvitationData): RenderedEmail {
  const organization = oneLine(data.organizationName);
  const username = oneLine(data.username, 320);
  const expiry = plural(data.expiresInDays, 'day', 'days');
  const subject = safeSubject(`${organization} invited you to their client portal`);

  const text = textLayout(organization, [
    greeting(data.contactName),
    `${organization} has invited you to their client portal, where you can see your estimates, invoices and payments in one place.`,
    `To accept, choose your password here:\n${safeUrl(data.acceptUrl)}`,
    `Your username is your e-mail address: ${username}\nThe link works once and expires in ${expiry}. If it has expired, ask ${organization} for a new invitation.`,
    `Afterwards, sign in at:\n${safeUrl(data.portalUrl)}`,
    `If you were not expecting this invitation, you can ignore this e-mail.`,
  ]);

  const html = layout({
    organizationName: organization,
    subject,
    preheader: `Accept the invitation within ${expiry} to see your estimates, invoices and payments.`,
    body: [
      paragraph(escapeHtml(greeting(data.contactName))),
      paragraph(
        `${escapeHtml(organization)} has invited you to their client portal, where you can see your estimates, invoices and payments in one place.`,
      ),
      button('Accept the invitation', data.acceptUrl),
      paragraph(`Your username is your e-mail address: <strong>${escapeHtml(username)}</strong>`),
      note(
        `The link works once and expires in ${escapeHtml(expiry)}. If it has expired, ask ${escapeHtml(organization)} for a new invitation.`,
      ),
      note(`Afterwards, sign in at ${link(safeUrl(data.portalUrl), data.portalUrl)}.`),
      note('If you were not expecting this invitation, you can ignore this e-mail.'),
    ].join('\n'),
  });

  return { subject, text, html };
}
