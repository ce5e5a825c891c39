import { TEST_PAYMENT_LABEL } from '../../domain/test-mode.js';

/**
 * Every word the server writes to a contact person — e-mails and PDFs — in English. The other languages
 * (fr.ts, de.ts, es.ts, ja.ts) translate the same keys; test/unit/message-catalogues.test.ts fails naming any key
 * one of them lacks. `{name}` marks a value filled in when the text is used.
 */
export const en = {
  // The frame of every e-mail (notify/email-layout.ts).
  'email.hello': 'Hello {name},',
  'email.helloNoName': 'Hello,',
  'email.sentBy': 'Sent by {organization}',
  'email.buttonFallback': 'If the button does not work, copy this address into your browser:',

  // An estimate or invoice e-mailed by the business (documentSent).
  'documentSent.subject': '{document} from {organization}',
  'documentSent.sentYou': '{organization} sent you {document}.',
  'documentSent.attached': 'The document is attached as a PDF ({file}).',
  'documentSent.viewInPortal': 'View in the client portal',
  'documentSent.viewInPortalText': 'View it in the client portal:',
  'documentSent.total': 'Total',
  'documentSent.validUntil': 'Valid until',
  'documentSent.amountDue': 'Amount due',
  'documentSent.dueDate': 'Due date',

  // The receipt e-mailed after a payment in the portal (paymentReceipt).
  'receipt.subject': 'Payment receipt {number} from {organization}',
  'receipt.testNote': 'This payment was made in test mode: no card was charged.',
  'receipt.thanks': 'Thank you: we received your payment of {amount} on {date} ({number}).',
  'receipt.preheader': 'We received your payment of {amount}.',
  'receipt.attached': 'The receipt is attached ({file}).',

  // A document's name in running text.
  'document.estimate': 'Estimate {number}',
  'document.invoice': 'Invoice {number}',
  'document.retainerInvoice': 'Retainer invoice {number}',
  'document.paymentReceipt': 'Payment receipt {number}',
  'document.testPaymentReceipt': 'Test payment receipt {number}',

  // Every PDF (pdf/layout.ts).
  'pdf.pageOf': 'Page {page} of {pages}',

  // Estimates, invoices and retainer invoices as PDFs (modules/documents/pdf.ts).
  'pdf.title.estimate': 'ESTIMATE',
  'pdf.title.invoice': 'INVOICE',
  'pdf.title.retainerInvoice': 'RETAINER INVOICE',
  'pdf.title.paymentReceipt': 'PAYMENT RECEIPT',
  'pdf.title.testPaymentReceipt': 'TEST PAYMENT RECEIPT',
  'pdf.estimateDate': 'Estimate date',
  'pdf.expiryDate': 'Expiry date',
  'pdf.revised': 'Revised',
  'pdf.reference': 'Reference',
  'pdf.status': 'Status',
  'pdf.invoiceDate': 'Invoice date',
  'pdf.dueDate': 'Due date',
  'pdf.date': 'Date',
  'pdf.balanceDue': 'Balance due',
  'pdf.billTo': 'Bill to',
  'pdf.shipTo': 'Ship to',
  'pdf.estimateFor': 'Estimate for',
  'pdf.receivedFrom': 'Received from',
  'pdf.subject': 'Subject',
  'pdf.acceptedBy': 'Accepted by',
  'pdf.notes': 'Notes',
  'pdf.terms': 'Terms & conditions',
  'pdf.column.item': 'Item & description',
  'pdf.column.quantity': 'Qty',
  'pdf.column.rate': 'Rate ({currency})',
  'pdf.column.discount': 'Discount',
  'pdf.column.tax': 'Tax',
  'pdf.column.amount': 'Amount ({currency})',
  'pdf.column.description': 'Description',
  'pdf.column.paymentNumber': 'Payment #',
  'pdf.column.appliedAs': 'Applied as',
  'pdf.column.invoiceNumber': 'Invoice #',
  'pdf.column.appliedOn': 'Applied on',
  'pdf.column.invoiceAmount': 'Invoice amount ({currency})',
  'pdf.column.applied': 'Applied ({currency})',
  'pdf.subtotal': 'Sub total',
  'pdf.discount': 'Discount',
  'pdf.tax': 'Tax',
  'pdf.shipping': 'Shipping',
  'pdf.adjustment': 'Adjustment',
  'pdf.total': 'Total',
  'pdf.paymentsMade': 'Payments made',
  'pdf.creditsApplied': 'Credits applied',
  'pdf.writtenOff': 'Written off',
  'pdf.amountPaid': 'Amount paid',
  'pdf.paymentsApplied': 'Payments applied',
  'pdf.credit': 'Credit',
  'pdf.paymentDate': 'Payment date',
  'pdf.paymentMode': 'Payment mode',
  'pdf.paymentModeTest': '{mode} (test mode)',
  'pdf.retainerInvoice': 'Retainer invoice',
  'pdf.amountReceived': 'Amount received',
  'pdf.amountTest': 'Amount (test, not received)',
  'pdf.appliedTo': 'Applied to',
  'pdf.appliedToInvoices': 'Applied to invoices',
  'pdf.retainerCredit': 'Retainer credit',
  'pdf.unusedCredit': 'Unused credit',
  'pdf.testPayment': TEST_PAYMENT_LABEL,

  // Pay by bank transfer, on an invoice's PDF.
  'pdf.bank.title': 'Pay by bank transfer',
  'pdf.bank.accountHolder': 'Account holder',
  'pdf.bank.iban': 'IBAN',
  'pdf.bank.accountNumber': 'Account number',
  'pdf.bank.bic': 'BIC',
  'pdf.bank.bankCode': 'Bank code',
  'pdf.bank.bank': 'Bank',
  'pdf.bank.reference': 'Reference',
  'pdf.bank.amount': 'Amount',
  'pdf.bank.lastChanged':
    'These details last changed on {date}. If they differ from what you paid before, confirm them with us by phone first.',

  // A document's status and a payment's mode, as PDFs name them.
  'status.draft': 'Draft',
  'status.sent': 'Sent',
  'status.accepted': 'Accepted',
  'status.declined': 'Declined',
  'status.expired': 'Expired',
  'status.invoiced': 'Invoiced',
  'status.overdue': 'Overdue',
  'status.partially_paid': 'Partially paid',
  'status.paid': 'Paid',
  'status.void': 'Void',
  'mode.cash': 'Cash',
  'mode.bank_transfer': 'Bank transfer',
  'mode.check': 'Check',
  'mode.card': 'Card',
  'mode.other': 'Other',
} as const;

export type ServerMessageKey = keyof typeof en;
