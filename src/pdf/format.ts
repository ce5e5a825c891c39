import { type Address, addressLines as linesOf } from '../domain/addresses.js';
import { formatMoneyPlain } from '../domain/money.js';

/**
 * Amounts as PDFs, print views and CSV files show them: the currency's own number of decimals (0 for JPY, 2 for
 * USD, 3 for KWD), a point for decimals and commas between thousands, never a locale guess.
 */
export function formatAmount(minor: number, currency: string): string {
  const plain = formatMoneyPlain(minor, currency);
  const negative = plain.startsWith('-');
  const [whole = '', fraction] = (negative ? plain.slice(1) : plain).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** An amount with its currency code in front: "USD 1,234.56", "JPY 120,000", "KWD 1.250". */
export const formatMoney = (minor: number, currency: string): string => `${currency} ${formatAmount(minor, currency)}`;

/** A stored address (a JSON text column) as the lines of an address block; unreadable JSON shows nothing. */
export function addressLines(json: string | null | undefined): string[] {
  if (!json) return [];
  try {
    const parsed: unknown = JSON.parse(json);
    if (parsed === null || typeof parsed !== 'object') return [];
    return linesOf(parsed as Address);
  } catch {
    return [];
  }
}

/** The lines under an organization's name on its documents: its address, then e-mail, phone and website. */
export function organizationLines(org: {
  address: string;
  email: string | null;
  phone: string | null;
  website: string | null;
}): string[] {
  return [...addressLines(org.address), org.email, org.phone, org.website].filter(
    (line): line is string => typeof line === 'string' && line !== '',
  );
}

/** The lines under a customer's name in "Bill to": its company (unless it is the name), billing address, e-mail. */
export function customerLines(customer: {
  displayName: string;
  companyName: string | null;
  billingAddress: string;
  email: string | null;
}): string[] {
  return [customer.companyName, ...addressLines(customer.billingAddress), customer.email].filter(
    (line): line is string => typeof line === 'string' && line !== '' && line !== customer.displayName,
  );
}

/** A document number as a safe download name: "INV-00042.pdf"; anything but letters, digits, . _ - becomes _. */
export function fileNameOf(base: string, extension: string): string {
  const safe = base.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'document';
  return `${safe.slice(0, 100)}.${extension}`;
}
