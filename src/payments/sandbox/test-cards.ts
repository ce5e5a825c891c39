/**
 * The sandbox gateway's test cards. Any expiry date in the future and any CVC of the right length (4 digits for
 * American Express, else 3) work unless the card says otherwise; a number not in this list is declined
 * (`card_declined`), as a real processor's test mode refuses real cards.
 *
 * Merchant rules (src/payments/sandbox/rules.ts) apply before the card's own outcome: invalid credentials
 * (CP3002), currency (CP4003), minimum amount (CP4001), fraud filters (CP3003), address verification (CP3004),
 * duplicate window (CP3005); saved cards also need reference transactions (CP3001) and, for recurring use,
 * recurring support (CP4002).
 */
export type CardBehaviour =
  | 'success'
  | 'generic_decline'
  | 'insufficient_funds'
  | 'fraud'
  | 'address_mismatch'
  | 'incorrect_cvc'
  | 'expired_card'
  | 'challenge'
  | 'decline_after_attach'
  | 'processing'
  | 'not_a_test_card';

export interface TestCardInfo {
  behaviour: CardBehaviour;
  outcome: string;
}

export const SANDBOX_TEST_CARDS: Readonly<Record<string, TestCardInfo>> = {
  // Succeeds.
  '4242424242424242': { behaviour: 'success', outcome: 'Succeeds (Visa).' },
  '5555555555554444': { behaviour: 'success', outcome: 'Succeeds (Mastercard).' },
  '378282246310005': { behaviour: 'success', outcome: 'Succeeds (American Express, 4-digit CVC).' },
  // Declined by the issuer: failure code card_declined.
  '4000000000000002': { behaviour: 'generic_decline', outcome: 'Declined: card_declined.' },
  // Declined for lack of funds: insufficient_funds.
  '4000000000009995': { behaviour: 'insufficient_funds', outcome: 'Declined: insufficient_funds.' },
  // Blocked by the merchant's fraud filters (CP3003) while `fraudFilters.blockHighRiskCards` is on (default).
  '4100000000000019': { behaviour: 'fraud', outcome: 'Blocked by the fraud filters: CP3003 (when they are on).' },
  // The address check fails: CP3004 when the merchant requires address verification; else it succeeds.
  '4000000000000010': {
    behaviour: 'address_mismatch',
    outcome: 'Address verification fails: CP3004 (when address verification is required), else succeeds.',
  },
  // Declined for a wrong security code: incorrect_cvc.
  '4000000000000127': { behaviour: 'incorrect_cvc', outcome: 'Declined: incorrect_cvc.' },
  // Declined as expired whatever the expiry date given: expired_card.
  '4000000000000069': { behaviour: 'expired_card', outcome: 'Declined: expired_card.' },
  // Needs an extra step (3-D-Secure-style): requires_action with a challenge page to complete or fail
  // (failing gives authentication_failed). Charged later as a saved card, off session: authentication_required.
  '4000000000003220': {
    behaviour: 'challenge',
    outcome: 'requires_action: a challenge page; completing succeeds, failing is authentication_failed.',
  },
  // Saving the card succeeds; every later charge of it is declined (card_declined) — for autopay failures.
  '4000000000000341': {
    behaviour: 'decline_after_attach',
    outcome: 'Saving succeeds; charges are declined: card_declined.',
  },
  // The charge stays `processing`, then succeeds when asked about 60 s (ctx.now) later — for the reconciler.
  '4000000000000077': {
    behaviour: 'processing',
    outcome: 'processing; succeeds when fetched 60 s or more later (and a webhook is sent then).',
  },
};

/** How long a `processing` test charge takes to settle. */
export const PROCESSING_SETTLES_AFTER_SECONDS = 60;

export function behaviourOf(number: string): CardBehaviour {
  return SANDBOX_TEST_CARDS[number]?.behaviour ?? 'not_a_test_card';
}

export function luhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i += 1) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function brandOf(number: string): string {
  if (/^3[47]/.test(number)) return 'amex';
  if (/^4/.test(number)) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'mastercard';
  if (/^6(011|5)/.test(number)) return 'discover';
  return 'unknown';
}

/** Spaces and dashes, as people type them, removed. */
export function normalizeCardNumber(raw: string): string {
  return raw.replace(/[\s-]/g, '');
}
