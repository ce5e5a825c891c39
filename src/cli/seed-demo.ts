import { buildApp } from '../app/app.js';
import type { AppContext } from '../context.js';
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

/**
 * The demo organizations and their logins, for people (the `serve` banner and `seed --demo`): the back-office
 * users, then the clients who can sign in to the organization's portal (e-mail and password, and their customer).
 */
export function describeDemo(summary: DemoSummary): string[] {
  const lines: string[] = [];
  const login = (role: string, email: string, password: string, note = '') =>
    `    ${role.padEnd(6)} ${email.padEnd(32)} ${password}${note ? `  ${note}` : ''}`;
  for (const org of summary.organizations) {
    lines.push(`  ${org.name} (${org.currency})  portal: ${org.portalUrl}${org.portalEnabled ? '' : ' (turned off)'}`);
    for (const user of org.users) lines.push(login(user.role, user.email, user.password));
    for (const customer of org.customers) {
      for (const contact of customer.contacts) {
        if (contact.email && contact.password) {
          lines.push(login('client', contact.email, contact.password, `(${customer.name})`));
        }
      }
    }
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
