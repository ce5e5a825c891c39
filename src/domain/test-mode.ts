/**
 * Test mode (PRODUCT.md §6): what a payment made through a gateway in test mode (the sandbox, Stripe test keys)
 * says wherever it appears — receipts, PDFs, e-mails, statements, exports, history. One sentence, everywhere.
 */
export const TEST_PAYMENT_LABEL = 'Test payment — no money moved';
