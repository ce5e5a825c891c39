import { Type } from 'typebox';
import { Currency, Nullable } from '../../http/schemas.js';

export const BankTransferInstructions = Type.Object({
  currency: Type.String(),
  accountHolder: Type.String(),
  accountNumber: Type.String({ description: 'An IBAN (without spaces) or a domestic account number.' }),
  bankCode: Nullable(Type.String({ description: 'BIC, routing number or sort code.' })),
  bankName: Nullable(Type.String()),
  reference: Nullable(
    Type.String({ description: "What clients quote; {number} stands for the invoice's number. Null: the number." }),
  ),
  showOnPdf: Type.Boolean({ description: 'Whether invoice PDFs in this currency print the instructions.' }),
  detailsChangedAt: Nullable(
    Type.String({ description: 'When the account details last replaced earlier ones; the portal warns for 30 days.' }),
  ),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const BankTransferInstructionsList = Type.Object({ data: Type.Array(BankTransferInstructions) });

export const BankTransferInstructionsInput = Type.Object(
  {
    accountHolder: Type.String({ minLength: 1, maxLength: 70 }),
    accountNumber: Type.String({ minLength: 4, maxLength: 42, description: 'An IBAN is checked; spaces are dropped.' }),
    bankCode: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    bankName: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    reference: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 60 }))),
    showOnPdf: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const CurrencyParams = Type.Object({ currency: Currency });
