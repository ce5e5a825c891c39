import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExportFile } from '../../src/modules/export/csv-file.js';
import { EXPORT_SCHEMA_VERSION, zipOf } from '../../src/modules/export/zip.js';
import { unzip } from '../support/zip.js';

const file = (name: string, pieces: string[], failAfter?: number): ExportFile => ({
  name,
  async *content(count) {
    for (const [index, piece] of pieces.entries()) {
      if (index === failAfter) throw new Error('the database went away');
      yield piece;
      count(1);
    }
  },
});

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

test('the ZIP holds each file in order and a manifest counting what each file wrote', async () => {
  const zip = await collect(
    zipOf([file('a.csv', ['x\r\n', 'y\r\n']), file('b.csv', [])], { export: 'test' }, '2026-03-15T10:00:00.000Z'),
  );
  const files = unzip(zip);
  assert.deepEqual([...files.keys()], ['a.csv', 'b.csv', 'manifest.json']);
  assert.equal(files.get('a.csv')?.toString('utf8'), 'x\r\ny\r\n');
  assert.deepEqual(JSON.parse(files.get('manifest.json')?.toString('utf8') ?? ''), {
    export: 'test',
    exportedAt: '2026-03-15T10:00:00.000Z',
    schemaVersion: EXPORT_SCHEMA_VERSION,
    files: [
      { name: 'a.csv', rows: 2 },
      { name: 'b.csv', rows: 0 },
    ],
  });
});

test('a file that fails midway ends the download with the error; nothing crashes and no manifest is written', async () => {
  const stream = zipOf([file('a.csv', ['x\r\n', 'y\r\n'], 1)], { export: 'test' }, '2026-03-15T10:00:00.000Z');
  await assert.rejects(collect(stream), /the database went away/);
});
