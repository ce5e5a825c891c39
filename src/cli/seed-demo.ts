import type { AppContext } from '../context.js';
import { buildApp } from '../http/app.js';
import { type DemoSummary, demoSummary, seedDemo } from './demo-data.js';
import { openRuntime, say } from './runtime.js';

/** Seeds the demo through an in-process app (no port is opened) and returns the slugs it created. */
export async function seedDemoThroughApi(ctx: AppContext): Promise<string[]> {
  const app = await buildApp(ctx);
  try {
    await app.ready();
    return await seedDemo(ctx, app);
  } finally {
    await app.close();
  }
}

/** The demo organizations and their logins, for people (the `serve` banner and `seed --demo`). */
export function describeDemo(summary: DemoSummary): string[] {
  const lines: string[] = [];
  for (const org of summary.organizations) {
    lines.push(`  ${org.name} (${org.currency})  portal: ${org.portalUrl}`);
    for (const user of org.users) lines.push(`    ${user.role.padEnd(6)} ${user.email.padEnd(28)} ${user.password}`);
  }
  return lines;
}

/** `portico seed --demo [--json]`: idempotent; with --json, stdout carries only the JSON document. */
export async function seedDemoCommand(options: { json: boolean }): Promise<void> {
  const runtime = await openRuntime();
  try {
    const created = await seedDemoThroughApi(runtime.ctx);
    const summary = await demoSummary(runtime.ctx);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      return;
    }
    say(created.length > 0 ? `Added the demo: ${created.join(', ')}.` : 'The demo organizations already exist.');
    console.log(`Back office: ${new URL('/app/', runtime.ctx.config.publicUrl)}`);
    console.log(describeDemo(summary).join('\n'));
  } finally {
    await runtime.close();
  }
}
