import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { ExportFile } from './csv-file.js';

/** The version of the export's layout (its files and their columns, docs/export.md); raised when they change. */
export const EXPORT_SCHEMA_VERSION = 2;

/**
 * The files as one ZIP, streamed: yazl asks for each file's stream only when the one before is written, so one
 * page of one table is in memory at a time. `manifest.json` comes last, with the rows each file held.
 */
export function zipOf(files: ExportFile[], about: Record<string, unknown>, exportedAt: string): NodeJS.ReadableStream {
  const zip = new ZipFile();
  const output = zip.outputStream as Readable;
  const mtime = new Date(exportedAt);
  const rows = new Map<string, number>();
  const add = (name: string, content: () => AsyncIterable<string>) =>
    zip.addReadStreamLazy(name, { mtime }, (done) => {
      const stream = Readable.from(content());
      // yazl does not listen for errors of the streams it reads: a failed read ends the download, not the server.
      stream.on('error', (error) => output.destroy(error));
      done(null, stream);
    });
  for (const file of files) {
    rows.set(file.name, 0);
    add(file.name, () => file.content((count) => rows.set(file.name, (rows.get(file.name) ?? 0) + count)));
  }
  add('manifest.json', async function* () {
    const manifest = {
      ...about,
      exportedAt,
      schemaVersion: EXPORT_SCHEMA_VERSION,
      files: files.map((file) => ({ name: file.name, rows: rows.get(file.name) ?? 0 })),
    };
    yield `${JSON.stringify(manifest, null, 2)}\n`;
  });
  zip.on('error', (error) => output.destroy(error));
  zip.end();
  return output;
}
