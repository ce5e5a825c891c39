import type { AppContext } from '../../context.js';
import { epcPayload, groupedIban, looksLikeIban } from '../../domain/bank-account.js';

/** How long after a change of account details the portal tells clients to confirm them by phone. */
export const CHANGE_WARNING_DAYS = 30;

export interface InvoiceBankTransfer {
  currency: string;
  accountHolder: string;
  /** As banks print it: an IBAN in groups of four. */
  accountNumber: string;
  isIban: boolean;
  bankCode: string | null;
  bankName: string | null;
  /** What the client writes on the transfer: the reference with `{number}` filled in, or the invoice's number. */
  reference: string;
  /** The invoice's balance due, in minor units: what to transfer. */
  amount: number;
  /** When the account details were last set or changed. */
  lastChangedAt: string;
  /** Changed within the last 30 days: clients are told to confirm by phone before paying. */
  recentlyChanged: boolean;
  showOnPdf: boolean;
  /** The EPC QR code's text (euro invoices paid into an IBAN); null otherwise. */
  epcQrText: string | null;
}

/**
 * How to pay this invoice by bank transfer: the instructions of its currency, with its reference and balance;
 * null when the organization has none for the currency or nothing is left to pay. The caller has decided that the
 * asker may see the invoice.
 */
export async function invoiceBankTransfer(
  ctx: AppContext,
  organizationId: string,
  invoice: { currency: string; number: string; balance: number; status: string },
): Promise<InvoiceBankTransfer | null> {
  if (invoice.balance <= 0 || invoice.status === 'draft' || invoice.status === 'void') return null;
  const row = await ctx.db.kysely
    .selectFrom('bankTransferInstructions')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('currency', '=', invoice.currency)
    .executeTakeFirst();
  if (!row) return null;
  const isIban = looksLikeIban(row.accountNumber);
  const reference = row.reference ? row.reference.replaceAll('{number}', invoice.number) : invoice.number;
  const lastChangedAt = row.detailsChangedAt ?? row.createdAt;
  const warnUntil = row.detailsChangedAt
    ? new Date(row.detailsChangedAt).getTime() + CHANGE_WARNING_DAYS * 24 * 3600 * 1000
    : 0;
  return {
    currency: row.currency,
    accountHolder: row.accountHolder,
    accountNumber: isIban ? groupedIban(row.accountNumber) : row.accountNumber,
    isIban,
    bankCode: row.bankCode,
    bankName: row.bankName,
    reference,
    amount: invoice.balance,
    lastChangedAt,
    recentlyChanged: ctx.now().getTime() < warnUntil,
    showOnPdf: row.showOnPdf === 1,
    epcQrText:
      isIban && invoice.currency === 'EUR' && invoice.balance <= 99_999_999_999
        ? epcPayload({
            name: row.accountHolder,
            iban: row.accountNumber,
            bic: row.bankCode && /^[A-Z]{6}/.test(row.bankCode) ? row.bankCode : null,
            amountCents: invoice.balance,
            remittance: reference,
          })
        : null,
  };
}

/** The EPC QR code as a PNG a banking app scans (error correction M, as the EPC guidelines ask). */
export async function qrCodePng(text: string): Promise<Buffer> {
  const { default: QRCode } = await import('qrcode'); // loaded with the first QR code
  return QRCode.toBuffer(text, { errorCorrectionLevel: 'M', margin: 2, width: 264 });
}
