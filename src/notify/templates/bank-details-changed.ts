import {
  button,
  escapeHtml,
  formatDateTime,
  layout,
  note,
  oneLine,
  paragraph,
  type RenderedEmail,
  safeSubject,
  safeUrl,
  textLayout,
} from '../email-layout.js';

export interface BankDetailsChangedData {
  organizationName: string;
  currency: string;
  change: 'added' | 'changed' | 'removed';
  /** The last four characters of the account number now shown to clients (of the removed one when removed). */
  accountEnding: string;
  /** Who saved it: a user's name or e-mail, or "an API key of …". */
  changedBy: string;
  changedAt: string | Date;
  timeZone?: string;
  /** The back office's bank-transfer settings. */
  settingsUrl: string;
}

const WHAT: Record<BankDetailsChangedData['change'], string> = {
  added: 'were added',
  changed: 'were changed',
  removed: 'were removed',
};

/**
 * The bank account clients are told to pay into was added, changed or removed: every owner hears of it, so a
 * change made by someone who took over an account (invoice-redirection fraud) does not go unnoticed.
 */
export function bankDetailsChanged(data: BankDetailsChangedData): RenderedEmail {
  const organization = oneLine(data.organizationName);
  const when = formatDateTime(data.changedAt, data.timeZone);
  const by = oneLine(data.changedBy);
  const what = WHAT[data.change];
  const subject = safeSubject(`${organization}: the ${data.currency} bank-transfer details ${what}`);
  const account = `the account ending ${oneLine(data.accountEnding)}`;
  const lines = [
    `The ${data.currency} bank-transfer details your clients see in the portal ${what} on ${when} by ${by}.`,
    data.change === 'removed' ? `Clients no longer see ${account}.` : `Clients now see ${account}.`,
  ];
  const warning =
    data.change === 'removed'
      ? 'If this was not expected, check your users and API keys.'
      : 'If this was not expected, correct the details now and check your users and API keys: clients are told to confirm changed details by phone for 30 days.';

  const text = textLayout(organization, [...lines, warning, `Bank-transfer settings: ${safeUrl(data.settingsUrl)}`]);
  const html = layout({
    organizationName: organization,
    subject,
    preheader: lines[0] as string,
    body: [
      ...lines.map((line) => paragraph(escapeHtml(line))),
      note(escapeHtml(warning)),
      button('Open the bank-transfer settings', data.settingsUrl),
    ].join('\n'),
  });
  return { subject, text, html };
}
