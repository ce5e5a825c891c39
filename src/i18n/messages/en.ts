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

  // Counts and the other e-mails to a contact person (invitation, password, automatic payment, reply).
  'email.days.one': '{count} day',
  'email.days.other': '{count} days',
  'email.hours.one': '{count} hour',
  'email.hours.other': '{count} hours',
  'email.minutes.one': '{count} minute',
  'email.minutes.other': '{count} minutes',
  'invitation.subject': '{organization} invited you to their client portal',
  'invitation.invited':
    '{organization} has invited you to their client portal, where you can see your estimates, invoices and payments in one place.',
  'invitation.acceptText': 'To accept, choose your password here:',
  'invitation.accept': 'Accept the invitation',
  'invitation.username': 'Your username is your e-mail address: {username}',
  'invitation.expiry':
    'The link works once and expires in {expiry}. If it has expired, ask {organization} for a new invitation.',
  'invitation.signInText': 'Afterwards, sign in at:',
  'invitation.signIn': 'Afterwards, sign in at {link}.',
  'invitation.ignore': 'If you were not expecting this invitation, you can ignore this e-mail.',
  'invitation.preheader': 'Accept the invitation within {expiry} to see your estimates, invoices and payments.',
  'passwordReset.subject': 'Reset your password for the {organization} client portal',
  'passwordReset.request': 'We received a request to reset the password of your {organization} client portal account.',
  'passwordReset.chooseText': 'Choose a new password here:',
  'passwordReset.choose': 'Choose a new password',
  'passwordReset.expiry': 'The link works once and expires in {expiry}.',
  'passwordReset.ignore': 'If you did not ask for this, you can ignore this e-mail: your password stays as it is.',
  'passwordReset.preheader': 'Choose a new password within {expiry}.',
  'passwordChanged.subject': 'Your password for the {organization} client portal was changed',
  'passwordChanged.changed': 'The password of your {organization} client portal account was changed on {when}.',
  'passwordChanged.wasYou': 'If this was you, there is nothing more to do.',
  'passwordChanged.notYouText':
    'If it was not you, reset your password now with "Forgot password" on the sign-in page, and let {organization} know:',
  'passwordChanged.notYou':
    'If it was not you, reset your password now with “Forgot password” on the {link}, and let {organization} know.',
  'passwordChanged.signInPage': 'sign-in page',
  'passwordChanged.preheader': 'Your portal password was changed on {when}.',
  'autopayFailed.subject': 'The automatic payment of invoice {number} from {organization} did not go through',
  'autopayFailed.happened':
    'We tried to charge {amount} for invoice {number} ({profile}) to the card you authorized for automatic payments, and it did not go through.',
  'autopayFailed.code': '(code {code})',
  'autopayFailed.stillUnpaidText': 'The invoice is still unpaid. You can pay it in the portal:',
  'autopayFailed.stillUnpaid': 'The invoice is still unpaid. You can pay it in the portal.',
  'autopayFailed.pay': 'Pay the invoice in the portal',
  'autopayFailed.preheader': 'Invoice {number} is still unpaid: the automatic payment did not go through.',
  'payError.CP1003':
    'This payment cannot be made because the customer record it belongs to no longer exists. Please contact the business, or try again later.',
  'payError.CP1004':
    'This payment cannot be made because the recurring profile it belongs to no longer exists. Please contact the business, or try again later.',
  'payError.CP2001':
    'Online payments are not fully set up for this business yet. Please contact the business, or try again later.',
  'payError.CP3001':
    'Paying with a saved card is not available for this business. Please contact the business, or try again later.',
  'payError.CP3002':
    'Online payments are temporarily unavailable for this business. Please contact the business, or try again later.',
  'payError.CP3003': 'The payment was declined. Please use another card or contact the business.',
  'payError.CP3004':
    'The card could not be verified against your billing address. Please check the address and try again.',
  'payError.CP3005':
    'A payment of the same amount with the same card was made a few minutes ago. Please try again in a few minutes.',
  'payError.CP4001':
    'The amount is below the minimum this business can accept online. Please contact the business, or try again later.',
  'payError.CP4002':
    'Automatic payments are not available for this business. Please contact the business, or try again later.',
  'payError.CP4003':
    'Online payments in this currency are not available for this business. Please contact the business, or try again later.',
  'payError.card_declined': 'The card was declined. Please use another card.',
  'payError.insufficient_funds': 'The card has insufficient funds. Please use another card.',
  'payError.incorrect_cvc': "The card's security code is incorrect.",
  'payError.expired_card': 'The card has expired. Please use another card.',
  'payError.invalid_number': 'The card number is not valid.',
  'payError.invalid_expiry': "The card's expiry date is not valid.",
  'payError.invalid_cvc': "The card's security code is not valid.",
  'payError.authentication_failed': 'The card could not be authenticated. Please try again or use another card.',
  'payError.authentication_required': 'The card needs you to confirm the payment. Please pay online to confirm it.',
  'payError.checkout_expired': 'The payment page expired before the card was entered. Please start again.',
  'payError.checkout_cancelled':
    'The payment was cancelled on the payment page; nothing was charged. You can pay again.',
  'payError.processing_error': 'The payment could not be processed. Please try again.',
  'businessReply.on.estimates': 'estimate {name}',
  'businessReply.on.invoices': 'invoice {name}',
  'businessReply.on.retainerInvoices': 'retainer invoice {name}',
  'businessReply.on.projects': 'project {name}',
  'businessReply.subject': '{organization} commented on {label}',
  'businessReply.commented': '{organization} commented on {label}:',
  'businessReply.readText': 'Read and reply in the client portal:',
  'businessReply.read': 'Read and reply',

  // A document's name in running text.
  'forwarded.estimate': 'estimate {number}',
  'forwarded.invoice': 'invoice {number}',
  'forwarded.headline': '{sender} of {customer} forwarded you {document} from {organization}',
  'forwarded.sentence': '{headline}.',
  'forwarded.wrote': '{sender} wrote:',
  'forwarded.attached': 'The {document} is attached as a PDF ({file}).',
  'forwarded.questions':
    'Questions about it? Ask {sender} or {organization}. If you were not expecting this e-mail, you can ignore it.',

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

  // The statement of accounts as a PDF (modules/statements/pdf.ts).
  'statement.title': 'Statement of accounts',
  'statement.period': 'Period',
  'statement.periodRange': '{from} to {to}',
  'statement.currency': 'Currency',
  'statement.to': 'To',
  'statement.openingBalance': 'Opening balance',
  'statement.invoicedAmount': 'Invoiced amount',
  'statement.amountReceived': 'Amount received',
  'statement.writtenOff': 'Written off',
  'statement.netBalance': 'Net balance',
  'statement.due': '{amount} due',
  'statement.inFavour': 'Credit {amount} in your favour',
  'statement.column.transaction': 'Transaction',
  'statement.column.number': 'Number',
  'statement.column.details': 'Details',
  'statement.column.payments': 'Payments ({currency})',
  'statement.column.balance': 'Balance ({currency})',
  'statement.kind.opening_balance': 'Opening balance',
  'statement.kind.invoice': 'Invoice',
  'statement.kind.payment': 'Payment',
  'statement.kind.write_off': 'Write-off',
  'statement.broughtForward': 'Balance brought forward',
  'statement.outstandingInvoices': 'Outstanding invoices',
  'statement.creditAvailable': 'Credit available',
  // A statement line's details, written from its facts (`modules/statements/line-details.ts`), and the CSV's columns.
  'statement.line.due': 'Due {date}',
  'statement.line.writeOff': 'Write-off of {number}',
  'statement.line.payment': 'Payment ({mode})',
  'statement.line.retainerPayment': 'Retainer payment for {number}',
  'statement.line.reference': '{details}, ref. {reference}',
  'statement.line.testPayment': '{label}: {details}',
  'statement.csv.customer': 'Customer',
  'statement.csv.amount': 'Amount',
  'statement.csv.payments': 'Payments',
  'statement.csv.balance': 'Balance',

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
  // The business removed a contact person's second factors (docs/second-factors.md).
  'secondFactorsReset.subject': 'The second factors of your {organization} client portal account were removed',
  'secondFactorsReset.removed':
    '{organization} removed the passkeys, authenticator apps and recovery codes of your client portal account on {when}. You now sign in with your password alone, and can set up a new second factor under Account.',
  'secondFactorsReset.notYouText': 'If you did not ask for this, let {organization} know at once:',
  'secondFactorsReset.notYou': 'If you did not ask for this, let {organization} know at once ({link}).',
  'secondFactorsReset.yourPortal': 'your portal',
  'secondFactorsReset.preheader': "Your portal account's second factors were removed on {when}.",
  // An owner or admin removed a business user's second factors: in the business's language (docs/second-factors.md).
  'userSecondFactorsReset.subject': 'The second factors of your {organization} back office account were removed',
  'userSecondFactorsReset.removed':
    '{name} removed the passkeys, authenticator apps and recovery codes you use to sign in to the {organization} back office on {when}. You now sign in with your password alone, and can set up a new second factor under Sign-in security.',
  'userSecondFactorsReset.notYouText':
    'If you did not ask for this, tell {name} or another owner or admin at once, and sign in to check your account:',
  'userSecondFactorsReset.notYou':
    'If you did not ask for this, tell {name} or another owner or admin at once, and sign in to check your account ({link}).',
  'userSecondFactorsReset.backOffice': 'the back office',
  'userSecondFactorsReset.preheader': 'Your back office second factors were removed on {when}.',
} as const;

export type ServerMessageKey = keyof typeof en;
