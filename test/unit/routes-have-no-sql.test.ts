import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * Routes only parse, call a service with the scope, and present (docs/CONTRIBUTING-CONVENTIONS.md): every query
 * lives in a service, where it filters by the scope's organization. This keeps it so, naming the file that slips.
 */
const modules = fileURLToPath(new URL('../../src/modules/', import.meta.url));
const QUERY_BUILDERS = ['selectFrom(', 'insertInto(', 'updateTable(', 'deleteFrom(', 'sql`'];

// Each module's routes.ts, and any other file of route handlers beside it (organization/brand-routes.ts).
const routeFiles = readdirSync(modules, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) =>
    readdirSync(path.join(modules, entry.name))
      .filter((file) => file === 'routes.ts' || file.endsWith('-routes.ts'))
      .map((file) => path.join(modules, entry.name, file)),
  )
  .sort();

test('the modules have route files to check', () => {
  assert.ok(routeFiles.length > 10, `found only ${routeFiles.length} routes.ts under ${modules}`);
});

for (const file of routeFiles) {
  const name = path.relative(path.join(modules, '..', '..'), file);
  test(`${name} writes no SQL: its queries live in the module's service`, () => {
    const source = readFileSync(file, 'utf8');
    const found = QUERY_BUILDERS.filter((builder) => source.includes(builder));
    assert.deepEqual(found, [], `${name} builds queries (${found.join(', ')}): move them into a service use case`);
  });
}
