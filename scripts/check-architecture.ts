/**
 * `npm run check:architecture` (part of `npm test`'s checks): the floor plan of `.dependency-cruiser.cjs` —
 * imports only run down the floors, no module imports another's routes, no file circles — plus the one rule
 * dependency-cruiser cannot state: the capabilities (`src/modules/<name>`), the other folders of `src/` and the
 * web's parts (`web/ui`, `web/portal`, `web/backoffice`) import each other without a circle.
 *
 *   node --import tsx scripts/check-architecture.ts [--root DIR]
 *
 * `--root` checks another tree (the unit test builds one with a forbidden import) against the same rules.
 * Exits 1 and names each offending import when a rule is broken.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Cruised {
  modules: { source: string; dependencies: { resolved: string; couldNotResolve: boolean }[] }[];
  summary: { violations: { rule: { name: string }; from: string; to: string; cycle?: { name: string }[] }[] };
}

/** The repository: the nearest folder up with a package.json (this file also runs bundled, from dist/test-unit/). */
function repositoryRoot(): string {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(folder, 'package.json')) && path.dirname(folder) !== folder)
    folder = path.dirname(folder);
  return folder;
}
const repository = repositoryRoot();

/** The folder an import is between, for the circle check: a capability, a folder of src/, or a part of web/. */
export function folderOf(file: string): string | null {
  const parts = file.split('/');
  if (parts[0] === 'src') {
    if (parts[1] === 'modules' && parts.length > 3) return `src/modules/${parts[2]}`;
    return parts.length > 2 ? `src/${parts[1]}` : null;
  }
  if (parts[0] === 'web' && parts.length > 2) return `web/${parts[1]}`;
  return null;
}

/**
 * Circles among folders, each as the folders in order: every import that leads back to a folder still being
 * walked (depth first) closes one, so each group of folders that import each other round shows at least once.
 */
export function folderCircles(edges: Map<string, Set<string>>): string[][] {
  const circles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const visit = (folder: string) => {
    state.set(folder, 'open');
    trail.push(folder);
    for (const next of [...(edges.get(folder) ?? [])].sort()) {
      if (state.get(next) === 'open') {
        const circle = trail.slice(trail.indexOf(next));
        const key = [...circle].sort().join(' ');
        if (!seen.has(key)) {
          seen.add(key);
          circles.push(circle);
        }
      } else if (!state.has(next)) visit(next);
    }
    trail.pop();
    state.set(folder, 'done');
  };
  for (const folder of [...edges.keys()].sort()) if (!state.has(folder)) visit(folder);
  return circles;
}

export function checkArchitecture(root: string): string[] {
  const depcruise = path.join(repository, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
  const targets = ['src', 'web'].filter((dir) => existsSync(path.join(root, dir)));
  const run = spawnSync(
    process.execPath,
    [depcruise, ...targets, '--config', path.join(repository, '.dependency-cruiser.cjs'), '--output-type', 'json'],
    { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (!run.stdout.trim().startsWith('{')) throw new Error(`dependency-cruiser did not run:\n${run.stderr}`);
  const cruised = JSON.parse(run.stdout) as Cruised;

  const problems = cruised.summary.violations.map((v) =>
    v.cycle
      ? `${v.rule.name}: ${[v.from, ...v.cycle.map((c) => c.name)].join(' → ')}`
      : `${v.rule.name}: ${v.from} → ${v.to}`,
  );
  for (const module of cruised.modules) {
    for (const dependency of module.dependencies) {
      if (dependency.couldNotResolve && dependency.resolved.startsWith('.')) {
        problems.push(`unresolved: ${module.source} → ${dependency.resolved}`);
      }
    }
  }

  const edges = new Map<string, Set<string>>();
  for (const module of cruised.modules) {
    const from = folderOf(module.source);
    if (!from) continue;
    for (const dependency of module.dependencies) {
      const to = folderOf(dependency.resolved);
      if (!to || to === from) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)?.add(to);
    }
  }
  for (const circle of folderCircles(edges)) problems.push(`folder-circle: ${[...circle, circle[0]].join(' → ')}`);
  return problems;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rootIndex = process.argv.indexOf('--root');
  const root = rootIndex > 0 ? path.resolve(process.argv[rootIndex + 1] ?? '.') : repository;
  const problems = checkArchitecture(root);
  for (const problem of problems) console.log(problem);
  console.log(problems.length === 0 ? 'architecture: the floor plan holds' : `architecture: ${problems.length} broken`);
  process.exit(problems.length === 0 ? 0 : 1);
}
