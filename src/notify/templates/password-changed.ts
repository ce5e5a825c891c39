import {
  emailWords,
  escapeHtml,
  formatDateTime,
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

export interface PasswordChangedData {
  organizationName: string;
  contactName: string | null;
  portalUrl: string;
  /** When the password changed (ISO timestamp or Date). */
  changedAt: string | Date;
  /** The organization's time zone for the date shown; UTC when absent or unknown. */
  timeZone?: string;
  /** The contact's locale ("de", "fr-CA"); English without. */
  locale?: string;
}

/** A portal password was changed or reset: tells the account's owner, in case it was not them. */
export function passwordChanged(data: PasswordChangedData): RenderedEmail {
  const words = emailWords(data.locale);
  const { t } = words;
  const organization = oneLine(data.organizationName);
  const when = formatDateTime(data.changedAt, data.timeZone, words);
  const subject = safeSubject(t('passwordChanged.subject', { organization }));
  const changed = t('passwordChanged.changed', { organization, when });
  const wasYou = t('passwordChanged.wasYou');

  const text = textLayout(
    organization,
    [
      greeting(data.contactName, words),
      changed,
      wasYou,
      `${t('passwordChanged.notYouText', { organization })}\n${safeUrl(data.portalUrl)}`,
    ],
    words,
  );

  const html = layout({
    organizationName: organization,
    subject,
    preheader: t('passwordChanged.preheader', { when }),
    words,
    body: [
      paragraph(escapeHtml(greeting(data.contactName, words))),
      paragraph(escapeHtml(changed)),
      paragraph(escapeHtml(wasYou)),
      note(
        htmlSentence(
          words,
          'passwordChanged.notYou',
          { organization },
          { link: link(t('passwordChanged.signInPage'), data.portalUrl) },
        ),
      ),
    ].join('\n'),
  });

  return { subject, text, html };
}
