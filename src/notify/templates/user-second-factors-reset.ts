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

export interface UserSecondFactorsResetData {
  organizationName: string;
  userName: string;
  /** The owner or admin who removed them. */
  resetBy: string;
  /** The back office's address, to sign in and set up a new second factor. */
  backOfficeUrl: string;
  /** When the second factors were removed (ISO timestamp or Date). */
  resetAt: string | Date;
  /** The organization's time zone for the date shown; UTC when absent or unknown. */
  timeZone?: string;
  /** The organization's locale ("de-DE", "fr-CA"): the business's language. English without. */
  locale?: string;
}

/**
 * An owner or admin removed a business user's second factors (a lost device): tells the user, in case they did not
 * ask for it. The words are the business's: the organization's locale.
 */
export function userSecondFactorsReset(data: UserSecondFactorsResetData): RenderedEmail {
  const words = emailWords(data.locale);
  const { t } = words;
  const organization = oneLine(data.organizationName);
  const name = oneLine(data.resetBy);
  const when = formatDateTime(data.resetAt, data.timeZone, words);
  const subject = safeSubject(t('userSecondFactorsReset.subject', { organization }));
  const removed = t('userSecondFactorsReset.removed', { name, organization, when });

  const text = textLayout(
    organization,
    [
      greeting(data.userName, words),
      removed,
      `${t('userSecondFactorsReset.notYouText', { name })}\n${safeUrl(data.backOfficeUrl)}`,
    ],
    words,
  );

  const html = layout({
    organizationName: organization,
    subject,
    preheader: t('userSecondFactorsReset.preheader', { when }),
    words,
    body: [
      paragraph(escapeHtml(greeting(data.userName, words))),
      paragraph(escapeHtml(removed)),
      note(
        htmlSentence(
          words,
          'userSecondFactorsReset.notYou',
          { name },
          { link: link(t('userSecondFactorsReset.backOffice'), data.backOfficeUrl) },
        ),
      ),
    ].join('\n'),
  });

  return { subject, text, html };
}
