/** The door of numbering: what other capabilities may use. The rest of this folder is its own. */
export { nextDocumentNumber } from './next-number.js';
