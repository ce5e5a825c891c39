import {
  button,
  emailWords,
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
  /** The contact's locale ("de", "fr-CA"); English without. */
  locale?: string;
}

/** Someone asked for a new portal password for this contact ("forgot password"). */
export function passwordReset(data: PasswordResetData): RenderedEmail {
  const words = emailWords(data.locale);
  const { t } = words;
  const organization = oneLine(data.organizationName);
  const expiry = minutesInWords(data.expiresInMinutes, words);
  const subject = safeSubject(t('passwordReset.subject', { organization }));
  const request = t('passwordReset.request', { organization });
  const expires = t('passwordReset.expiry', { expiry });
  const ignore = t('passwordReset.ignore');

  const text = textLayout(
    organization,
    [
      greeting(data.contactName, words),
      request,
      `${t('passwordReset.chooseText')}\n${safeUrl(data.resetUrl)}`,
      expires,
      ignore,
    ],
    words,
  );

  const html = layout({
    organizationName: organization,
    subject,
    preheader: t('passwordReset.preheader', { expiry }),
    words,
    body: [
      paragraph(escapeHtml(greeting(data.contactName, words))),
      paragraph(escapeHtml(request)),
      button(t('passwordReset.choose'), data.resetUrl, words),
      note(escapeHtml(expires)),
      note(escapeHtml(ignore)),
    ].join('\n'),
  });

  return { subject, text, html };
}
