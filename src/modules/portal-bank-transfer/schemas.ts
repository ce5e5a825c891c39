import { Type } from 'typebox';
import { Nullable } from '../../http/schemas.js';

export const PortalBankTransfer = Type.Object({
  currency: Type.String(),
  accountHolder: Type.String(),
  accountNumber: Type.String({ description: 'As banks print it (an IBAN in groups of four).' }),
  isIban: Type.Boolean(),
  bankCode: Nullable(Type.String()),
  bankName: Nullable(Type.String()),
  reference: Type.String({ description: 'What to write on the transfer.' }),
  amount: Type.Integer({ description: "The invoice's balance due, in minor units." }),
  lastChangedAt: Type.String({ description: 'When these account details were set or last changed.' }),
  recentlyChanged: Type.Boolean({ description: 'Changed within 30 days: confirm by phone before paying.' }),
  hasQrCode: Type.Boolean({ description: 'An EPC QR code (SEPA credit transfer) is at …/bank-transfer/qr-code.' }),
});

export const PortalInvoiceBankTransfer = Type.Object({
  /** Null: no instructions for this currency, or nothing left to pay. */
  bankTransfer: Nullable(PortalBankTransfer),
});

export const PortalBankTransferNotices = Type.Object({
  data: Type.Array(
    Type.Object({
      currency: Type.String(),
      changedAt: Type.String(),
    }),
  ),
});
