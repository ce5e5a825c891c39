import {
  button,
  escapeHtml,
  layout,
  oneLine,
  paragraph,
  type RenderedEmail,
  safeSubject,
  safeUrl,
  textLayout,
} from '../email-layout.js';

export interface PortalActivityData {
  organizationName: string;
  /** "Alice Baker of Bluebird Bakery accepted estimate EST-00012" — one line, said in plain words. */
  headline: string;
  /** What the client wrote or changed (a comment, a decline reason, the fields changed), shown as a quote. */
  detail: string | null;
  /** When it happened, already formatted in the organization's time zone. */
  when: string;
  /** Where the business sees it in the back office. */
  backOfficeUrl: string;
}

/** Tells the business what a client did in the portal ("Notify me about portal activity"). */
export function portalActivity(data: PortalActivityData): RenderedEmail {
  const organization = oneLine(data.organizationName);
  const headline = oneLine(data.headline, 300);
  const subject = safeSubject(headline);
  const detail = data.detail?.trim() ? data.detail.trim().slice(0, 4000) : null;

  const text = textLayout(organization, [
    `${headline}.`,
    ...(detail ? [detail.replace(/^/gm, '> ')] : []),
    `When: ${oneLine(data.when)}`,
    `See it in Portico:\n${safeUrl(data.backOfficeUrl)}`,
  ]);

  const html = layout({
    organizationName: organization,
    subject,
    preheader: headline,
    body: [
      paragraph(`${escapeHtml(headline)}.`),
      ...(detail
        ? [
            `<blockquote style="margin:0 0 16px 0;padding:8px 16px;border-left:3px solid #e4e7eb;color:#1f2933;white-space:pre-wrap;">${escapeHtml(detail)}</blockquote>`,
          ]
        : []),
      paragraph(`When: ${escapeHtml(oneLine(data.when))}`),
      button('Open in Portico', data.backOfficeUrl),
    ].join('\n'),
  });

  return { subject, text, html };
}
