import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { checkArchitecture, folderCircles } from '../../scripts/check-architecture.js';

/** A small tree laid out like Portico's, checked against the project's own rules. */
function treeWith(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'portico-floors-'));
  writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext' } }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const allowed = {
  'src/domain/money.ts': 'export const cents = 100;\n',
  'src/http/schemas.ts': "import { cents } from '../domain/money.js';\nexport const Id = cents;\n",
  'src/modules/invoices/service.ts': "import { Id } from '../../http/schemas.js';\nexport const list = () => Id;\n",
  'src/modules/invoices/routes.ts': "import { list } from './service.js';\nexport const routes = list;\n",
  'src/modules/invoices/index.ts': "export { list } from './service.js';\n",
  'src/modules/payments/service.ts': "import { list } from '../invoices/index.js';\nexport const pay = list;\n",
  'src/app/business-api.ts': "import { routes } from '../modules/invoices/routes.js';\nexport const api = routes;\n",
};

test('a tree that follows the floor plan passes', () => {
  const root = treeWith(allowed);
  try {
    assert.deepEqual(checkArchitecture(root), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('an import up the floors, past another module’s door, into its routes, or round a circle of modules is refused', () => {
  const root = treeWith({
    ...allowed,
    // The domain reaching up into a module.
    'src/domain/money.ts': "import { list } from '../modules/invoices/service.js';\nexport const cents = list;\n",
    // A module using another's routes, and a file of another module that is not its door.
    'src/modules/payments/service.ts':
      "import { routes } from '../invoices/routes.js';\nimport { list } from '../invoices/service.js';\nexport const pay = [routes, list];\n",
    'src/modules/payments/index.ts': "export { pay } from './service.js';\n",
    // invoices → payments while payments → invoices: a circle of modules, though no file imports itself back.
    'src/modules/invoices/reminders.ts': "import { pay } from '../payments/index.js';\nexport const remind = pay;\n",
  });
  try {
    const problems = checkArchitecture(root);
    assert.ok(
      problems.some((p) => p.startsWith('domain-is-pure: src/domain/money.ts → src/modules/invoices/service.ts')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some(
        (p) =>
          p === 'only-the-assembly-imports-routes: src/modules/payments/service.ts → src/modules/invoices/routes.ts',
      ),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p === 'through-the-door: src/modules/payments/service.ts → src/modules/invoices/service.ts'),
      problems.join('\n'),
    );
    assert.ok(
      problems.some(
        (p) =>
          p.startsWith('folder-circle:') && p.includes('src/modules/invoices') && p.includes('src/modules/payments'),
      ),
      problems.join('\n'),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('folder circles are found, each once, and folders outside a circle are not named', () => {
  const edges = new Map([
    ['a', new Set(['b'])],
    ['b', new Set(['c', 'a'])],
    ['c', new Set(['a'])],
    ['d', new Set(['a'])],
  ]);
  assert.deepEqual(folderCircles(edges), [
    ['a', 'b'],
    ['a', 'b', 'c'],
  ]);
  assert.deepEqual(folderCircles(new Map([['a', new Set(['b'])]])), []);
});
