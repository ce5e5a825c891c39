import { randomBytes } from 'node:crypto';

/** Type prefixes of every id Portico hands out (API.md). */
export type IdPrefix =
  | 'org'
  | 'usr'
  | 'key'
  | 'tax'
  | 'cus'
  | 'cp'
  | 'est'
  | 'inv'
  | 'ret'
  | 'pay'
  | 'alc'
  | 'rec'
  | 'prj'
  | 'tsk'
  | 'te'
  | 'cmt'
  | 'hst'
  | 'ln'
  | 'tok'
  | 'msg'
  | 'aud'
  | 'rev'
  // An organization's payment gateways (migration 0014).
  | 'gw'
  // Bank-transfer instructions, per currency (migration 0018).
  | 'bti'
  // Outgoing webhooks: endpoints, deliveries and the events they carry (migration 0019).
  | 'whe'
  | 'whd'
  | 'evt'
  // Clients' quote requests from the portal (migration 0020).
  | 'qrq'
  // Second factors, recovery codes and pending sign-ins (migration 0022).
  | 'sf'
  | 'rcc'
  | 'sfc'
  // Portal payment attempts and their reserved allocations.
  | 'pat'
  | 'pata'
  // Cards on file for the autopay of recurring profiles.
  | 'apc'
  // The sandbox payment gateway's own objects (charges, cards, hosted-page sessions, refunds, events).
  | 'sbch'
  | 'sbcard'
  | 'sbcs'
  | 'sbre'
  | 'sbevt';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** An opaque, non-sequential id: the type prefix and 26 random base32 characters (130 bits). */
export function newId(prefix: IdPrefix): string {
  let out = '';
  for (const byte of randomBytes(26)) out += ALPHABET[byte & 31];
  return `${prefix}_${out}`;
}
