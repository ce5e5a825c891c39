import type { MessageKey } from './en.js';

/**
 * The portal's other languages, each loaded when a client reads the portal in it (English is bundled). One per
 * language of `src/domain/languages.ts`; test/unit/message-catalogues.test.ts checks each has every key.
 */
export const PORTAL_CATALOGUES: Record<string, () => Promise<Record<MessageKey, string>>> = {
  fr: () => import('./fr.js').then((m) => m.fr),
  de: () => import('./de.js').then((m) => m.de),
  es: () => import('./es.js').then((m) => m.es),
  ja: () => import('./ja.js').then((m) => m.ja),
};
