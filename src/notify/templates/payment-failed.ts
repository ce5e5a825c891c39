import { TEST_PAYMENT_LABEL } from '../../domain/test-mode.js';
import {
  button,
  escapeHtml,
  layout,
  oneLine,
  paragraph,
  type RenderedEmail,
  safeSubject,
  textLayout,
} from '../email-layout.js';

export interface PaymentFailedData {
  organizationName: string;
  /** "Alice Baker of Bluebird Bakery". */
  payer: string;
  /** "USD 1,200.00". */
  amount: string;
  /** A CP code or a card-level code (`card_declined`). */
  code: string;
  whatWentWrong: string;
  whatToDo: string;
  /** What the client was shown. */
  clientMessage: string;
  when: string;
  backOfficeUrl: string;
  /** Tried through a gateway in test mode: no money would have moved. */
  testMode?: boolean;
}

/** Tells the owners and admins that a portal payment failed: what went wrong and what they can do. */
export function paymentFailed(data: PaymentFailedData): RenderedEmail {
  const organization = oneLine(data.organizationName);
  const code = oneLine(data.code, 40);
  // Words in the subject and headline; the code is for support, at the end of the body.
  const headline = `A payment of ${oneLine(data.amount, 60)} by ${oneLine(data.payer)} failed`;
  const subject = safeSubject(`${data.testMode ? `${TEST_PAYMENT_LABEL}: ` : ''}${headline}`);
  const wrong = oneLine(data.whatWentWrong, 500);
  const todo = oneLine(data.whatToDo, 500);
  const client = oneLine(data.clientMessage, 500);
  const text = textLayout(organization, [
    `${headline}.`,
    ...(data.testMode ? [`${TEST_PAYMENT_LABEL}.`] : []),
    `What went wrong: ${wrong}`,
    `What you can do: ${todo}`,
    `The client was told: "${client}"`,
    `When: ${oneLine(data.when)}`,
    `Reference code: ${code}`,
    `See the payment failures in Portico:\n${data.backOfficeUrl}`,
  ]);
  const html = layout({
    organizationName: organization,
    subject,
    preheader: headline,
    body: [
      paragraph(`${escapeHtml(headline)}.`),
      ...(data.testMode ? [paragraph(`<strong>${escapeHtml(TEST_PAYMENT_LABEL)}.</strong>`)] : []),
      paragraph(`<strong>What went wrong:</strong> ${escapeHtml(wrong)}`),
      paragraph(`<strong>What you can do:</strong> ${escapeHtml(todo)}`),
      paragraph(`The client was told: “${escapeHtml(client)}”`),
      paragraph(`When: ${escapeHtml(oneLine(data.when))}`),
      paragraph(`Reference code: ${escapeHtml(code)}`),
      button('Open in Portico', data.backOfficeUrl),
    ].join('\n'),
  });
  return { subject, text, html };
}
