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

export interface SecondFactorsResetData {
  organizationName: string;
  contactName: string | null;
  portalUrl: string;
  /** When the business removed the second factors (ISO timestamp or Date). */
  resetAt: string | Date;
  /** The organization's time zone for the date shown; UTC when absent or unknown. */
  timeZone?: string;
  /** The contact's locale ("de", "fr-CA"); English without. */
  locale?: string;
}

/** The business removed a contact person's second factors (a lost device): tells them, in case it was not asked. */
export function secondFactorsReset(data: SecondFactorsResetData): RenderedEmail {
  const words = emailWords(data.locale);
  const { t } = words;
  const organization = oneLine(data.organizationName);
  const when = formatDateTime(data.resetAt, data.timeZone, words);
  const subject = safeSubject(t('secondFactorsReset.subject', { organization }));
  const removed = t('secondFactorsReset.removed', { organization, when });

  const text = textLayout(
    organization,
    [
      greeting(data.contactName, words),
      removed,
      `${t('secondFactorsReset.notYouText', { organization })}\n${safeUrl(data.portalUrl)}`,
    ],
    words,
  );

  const html = layout({
    organizationName: organization,
    subject,
    preheader: t('secondFactorsReset.preheader', { when }),
    words,
    body: [
      paragraph(escapeHtml(greeting(data.contactName, words))),
      paragraph(escapeHtml(removed)),
      note(
        htmlSentence(
          words,
          'secondFactorsReset.notYou',
          { organization },
          { link: link(t('secondFactorsReset.yourPortal'), data.portalUrl) },
        ),
      ),
    ].join('\n'),
  });

  return { subject, text, html };
}
