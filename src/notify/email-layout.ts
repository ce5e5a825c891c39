import { type ServerMessageKey, type Words, wordsFor } from '../i18n/words.js';

/**
 * The building blocks every e-mail template uses: escaping, one-line values, safe links and the shared layout.
 * No template engine: a template is a plain function, and every value that goes into HTML passes `escapeHtml`.
 * The frame's words come from the reader's `Words` (`src/i18n/`); without one, English.
 */

const ENGLISH = wordsFor('en');

/** The words of an e-mail to a reader of this locale (a contact person's, `wordsForContact`); English without. */
export const emailWords = (locale: string | undefined): Words => (locale ? wordsFor(locale) : ENGLISH);

/** What a template produces; the outbox stores exactly this. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** For text in HTML content and in quoted attribute values. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * A value that must stay on one line (names, addresses, subjects): control characters and Unicode line or
 * paragraph separators become spaces, runs of spaces collapse. This is what stops header injection (a CR/LF in a
 * subject or a display name) and keeps a name from forging extra lines in the plain-text part.
 */
export function oneLine(value: string, maxLength = 200): string {
  const flat = value
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (flat.length <= maxLength) return flat;
  return `${Array.from(flat)
    .slice(0, maxLength - 1)
    .join('')
    .trimEnd()}…`;
}

/** Subject lines: one line, and short enough for every mail client and server. */
export const SUBJECT_MAX_LENGTH = 150;

export function safeSubject(value: string): string {
  return oneLine(value, SUBJECT_MAX_LENGTH);
}

/**
 * Links in e-mails are built from PUBLIC_URL; this refuses anything but http(s) so that a mistake can never put a
 * `javascript:` or `data:` link in front of a client.
 */
export function safeUrl(value: string): string {
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`E-mail links must use http or https, got ${url.protocol}`);
  }
  return url.href;
}

/** "Hello Ana," — or a plain "Hello," when the contact has no name. */
export function greeting(contactName: string | null | undefined, words: Words = ENGLISH): string {
  const name = oneLine(contactName ?? '');
  return name ? words.t('email.hello', { name }) : words.t('email.helloNoName');
}

/**
 * A translated sentence as HTML: the words and the `text` values escaped, the `html` values (a link, a strong
 * code, already escaped) put in as they are.
 */
export function htmlSentence(
  words: Words,
  key: ServerMessageKey,
  text: Record<string, string | number>,
  html: Record<string, string> = {},
): string {
  const markers = Object.fromEntries(Object.keys(html).map((name) => [name, `\u0000${name}\u0000`]));
  let sentence = escapeHtml(words.t(key, { ...text, ...markers }));
  for (const [name, value] of Object.entries(html)) sentence = sentence.replace(`\u0000${name}\u0000`, () => value);
  return sentence;
}

/** "7 days", "7 Tage", "7日": a count of days, hours or minutes in the reader's words and plural form. */
export function countInWords(count: number, unit: 'days' | 'hours' | 'minutes', words: Words = ENGLISH): string {
  const form = new Intl.PluralRules(words.locale).select(count) === 'one' ? 'one' : 'other';
  return words.t(`email.${unit}.${form}`, { count });
}

/** 60 → "1 hour", 90 → "90 minutes", 1440 → "24 hours" (in the reader's words). */
export function minutesInWords(minutes: number, words: Words = ENGLISH): string {
  if (minutes >= 60 && minutes % 60 === 0) return countInWords(minutes / 60, 'hours', words);
  return countInWords(minutes, 'minutes', words);
}

/**
 * "15 March 2026 at 10:00 UTC", in the organization's time zone when it is known (UTC otherwise); in the reader's
 * locale when given ("15. März 2026 um 10:00 UTC"), English keeping its day-month-year form.
 */
export function formatDateTime(at: string | Date, timeZone = 'UTC', words: Words = ENGLISH): string {
  const locale = words.language === 'en' ? 'en-GB' : words.locale;
  const date = typeof at === 'string' ? new Date(at) : at;
  const options: Intl.DateTimeFormatOptions = {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  };
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(date);
  }
}

// The palette: quiet greys and one dark accent. Inline styles only: most mail clients drop <style> blocks.
const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const TEXT = '#1f2933';
const MUTED = '#616e7c';
const BORDER = '#e4e7eb';
const PAGE = '#f5f7fa';
const ACCENT = '#2f3b4c';

/** A paragraph of already-escaped HTML. */
export function paragraph(html: string): string {
  return `<p style="margin:0 0 16px 0;font-size:15px;line-height:24px;color:${TEXT};">${html}</p>`;
}

/** A small, muted paragraph of already-escaped HTML. */
export function note(html: string): string {
  return `<p style="margin:0 0 12px 0;font-size:13px;line-height:20px;color:${MUTED};">${html}</p>`;
}

/** The main action: a button, with the address spelled out below for clients that block buttons or links. */
export function button(label: string, href: string, words: Words = ENGLISH): string {
  const url = escapeHtml(safeUrl(href));
  return [
    '<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px 0;"><tr>',
    `<td style="border-radius:6px;background:${ACCENT};">`,
    `<a href="${url}" style="display:inline-block;padding:12px 22px;font-family:${FONT};font-size:15px;`,
    `font-weight:600;color:#ffffff;text-decoration:none;border-radius:6px;">${escapeHtml(label)}</a>`,
    '</td></tr></table>',
    note(
      `${escapeHtml(words.t('email.buttonFallback'))}<br><a href="${url}" style="color:${ACCENT};word-break:break-all;">${escapeHtml(safeUrl(href))}</a>`,
    ),
  ].join('');
}

/** An inline link. */
export function link(label: string, href: string): string {
  return `<a href="${escapeHtml(safeUrl(href))}" style="color:${ACCENT};">${escapeHtml(label)}</a>`;
}

/**
 * The calm frame around every e-mail: the organization's name as the header (the client deals with the
 * organization, not with the software it uses) and a small "Sent by" footer. `body` is already-escaped HTML.
 */
export function layout(options: {
  organizationName: string;
  subject: string;
  preheader: string;
  body: string;
  words?: Words;
}): string {
  const words = options.words ?? ENGLISH;
  const organization = escapeHtml(oneLine(options.organizationName));
  return `<!DOCTYPE html>
<html lang="${escapeHtml(words.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(safeSubject(options.subject))}</title>
</head>
<body style="margin:0;padding:0;background:${PAGE};">
<div style="display:none;max-height:0;overflow:hidden;opacity:0;">${escapeHtml(oneLine(options.preheader, 300))}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:${PAGE};">
<tr><td align="center" style="padding:32px 16px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background:#ffffff;border:1px solid ${BORDER};border-radius:8px;font-family:${FONT};">
<tr><td style="padding:24px 32px;border-bottom:1px solid ${BORDER};font-size:18px;line-height:26px;font-weight:600;color:${TEXT};">${organization}</td></tr>
<tr><td style="padding:28px 32px 12px 32px;">
${options.body}
</td></tr>
</table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;font-family:${FONT};">
<tr><td style="padding:16px 32px;font-size:12px;line-height:18px;color:${MUTED};text-align:center;">${escapeHtml(words.t('email.sentBy', { organization: oneLine(options.organizationName) }))}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

/** The plain-text part: paragraphs separated by blank lines, ending with the same "Sent by" line. */
export function textLayout(organizationName: string, paragraphs: string[], words: Words = ENGLISH): string {
  return `${paragraphs.join('\n\n')}\n\n-- \n${words.t('email.sentBy', { organization: oneLine(organizationName) })}\n`;
}
