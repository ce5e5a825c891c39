/** The door of export: the ZIP and CSV kit the client's own export (portal-export) builds its files with. */
export {
  csvFile,
  csvFileOfLines,
  type ExportFile,
  flag,
  jsonFile,
  money,
  number,
  text,
} from './csv-file.js';
export { LINE_SELECTION, lineColumns } from './document-lines.js';
export { retainerLinesOf } from './retainer-lines.js';
export { ExportQuery } from './schemas.js';
export type { RequestInfo } from './service.js';
export { zipOf } from './zip.js';
