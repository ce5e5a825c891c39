/**
 * Bank accounts a client pays into by transfer: IBANs checked by their ISO 13616 check digits, BICs by their
 * ISO 9362 shape, and the EPC QR code (EPC069-12, "SEPA credit transfer") a banking app scans to fill in the
 * transfer. Pure functions: no database, no I/O.
 */

/** An IBAN as people type it, without spaces and in capitals: `de89 3704 0044 0532 0130 00` → `DE89370400440532013000`. */
export function compactAccountNumber(text: string): string {
  return text.replace(/[\s-]/g, '').toUpperCase();
}

/** Whether the text is meant as an IBAN: two letters then two digits (other account numbers are digits). */
export function looksLikeIban(compact: string): boolean {
  return /^[A-Z]{2}\d{2}/.test(compact);
}

/**
 * Whether a compact IBAN is valid: 15 to 34 letters and digits, and its check digits right (the number made by
 * moving the first four characters to the end, letters as 10–35, leaves 1 when divided by 97).
 */
export function isValidIban(compact: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const character of rearranged) {
    const value = character >= 'A' ? character.charCodeAt(0) - 55 : Number(character);
    remainder = Number(`${remainder}${value}`) % 97;
  }
  return remainder === 1;
}

/** A BIC: bank (4 letters), country (2 letters), location (2), optional branch (3). */
export function isValidBic(text: string): boolean {
  return /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(text);
}

/** An IBAN in groups of four, as banks print it: `DE89 3704 0044 0532 0130 00`. */
export function groupedIban(compact: string): string {
  return compact.replace(/(.{4})(?=.)/g, '$1 ');
}

export interface EpcTransfer {
  /** The payee's name (at most 70 characters are used). */
  name: string;
  iban: string;
  /** Optional inside the EEA since 2016. */
  bic: string | null;
  /** Euro cents; the EPC code allows 0.01 to 999,999,999.99. */
  amountCents: number;
  /** What the client writes on the transfer (at most 140 characters are used). */
  remittance: string;
}

/**
 * The text of an EPC QR code (version 002, UTF-8, SEPA credit transfer), one field a line, in the order the EPC
 * specifies: service tag, version, character set, identification, BIC, name, IBAN, amount, purpose, structured
 * reference (empty: ours is free text), remittance text.
 */
export function epcPayload(transfer: EpcTransfer): string {
  if (!Number.isInteger(transfer.amountCents) || transfer.amountCents < 1 || transfer.amountCents > 99_999_999_999) {
    throw new RangeError('An EPC QR code carries 0.01 to 999999999.99 EUR.');
  }
  const euros = `${Math.floor(transfer.amountCents / 100)}.${String(transfer.amountCents % 100).padStart(2, '0')}`;
  return [
    'BCD',
    '002',
    '1',
    'SCT',
    transfer.bic ?? '',
    oneLine(transfer.name).slice(0, 70),
    transfer.iban,
    `EUR${euros}`,
    '',
    '',
    oneLine(transfer.remittance).slice(0, 140),
  ].join('\n');
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
