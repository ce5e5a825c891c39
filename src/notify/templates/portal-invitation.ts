import {
  button,
  countInWords,
  emailWords,
  escapeHtml,
  greeting,
  htmlSentence,
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
  /** The contact's locale ("de", "fr-CA"); English without. */
  locale?: string;
}

/** A contact person is given access to the organization's client portal. */
export function portalInvitation(data: PortalInvitationData): RenderedEmail {
  const words = emailWords(data.locale);
  const { t } = words;
  const organization = oneLine(data.organizationName);
  const username = oneLine(data.username, 320);
  const expiry = countInWords(data.expiresInDays, 'days', words);
  const subject = safeSubject(t('invitation.subject', { organization }));
  const invited = t('invitation.invited', { organization });
  const expires = t('invitation.expiry', { expiry, organization });
  const ignore = t('invitation.ignore');

  const text = textLayout(
    organization,
    [
      greeting(data.contactName, words),
      invited,
      `${t('invitation.acceptText')}\n${safeUrl(data.acceptUrl)}`,
      `${t('invitation.username', { username })}\n${expires}`,
      `${t('invitation.signInText')}\n${safeUrl(data.portalUrl)}`,
      ignore,
    ],
    words,
  );

  const html = layout({
    organizationName: organization,
    subject,
    preheader: t('invitation.preheader', { expiry }),
    words,
    body: [
      paragraph(escapeHtml(greeting(data.contactName, words))),
      paragraph(escapeHtml(invited)),
      button(t('invitation.accept'), data.acceptUrl, words),
      paragraph(
        htmlSentence(words, 'invitation.username', {}, { username: `<strong>${escapeHtml(username)}</strong>` }),
      ),
      note(escapeHtml(expires)),
      note(htmlSentence(words, 'invitation.signIn', {}, { link: link(safeUrl(data.portalUrl), data.portalUrl) })),
      note(escapeHtml(ignore)),
    ].join('\n'),
  });

  return { subject, text, html };
}
