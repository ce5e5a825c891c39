/**
 * `portico <command>`: serve | migrate | rebuild-figures | rebuild-search | seed --demo | seed --scale N |
 * create-admin | backup | restore | verify-backup (API.md, "CLI").
 * Configuration comes from the environment (src/config.ts); flags only say what to do.
 * Exit codes: 0 done, 1 failed (bad configuration, refused input, error), 2 the command line is wrong.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CommandError, UsageError } from './cli/runtime.js';
import { ConfigError } from './config.js';
import { AppError } from './domain/errors.js';

const USAGE = `Usage: portico <command> [options]

Commands:
  serve [--role web|worker|all] [--demo|--no-demo]
      Migrate the database, seed the demo into an empty one (only on a loopback HOST unless --demo; never with
      --no-demo or in production), and serve the web app and API (role web), run the scheduled jobs (role
      worker), or both (all, the default). On a public HOST without NODE_ENV=production it warns what is unsafe.
  migrate
      Bring the database schema up to date.
  rebuild-figures
      Recompute every customer's dashboard figures from the books (they are kept with every change; this repairs them).
  rebuild-search
      Make the text-search indexes that no longer match their rows again from the rows (SQLite; a repair).
  seed --demo [--json]
      Add the two demo organizations unless they exist; --json prints their logins and ids as JSON.
  seed --scale N
      Generate N invoices (with customers, lines and payments) in a new organization "scale-test".
  create-admin --org NAME --email EMAIL [--slug SLUG] [--currency USD] [--time-zone UTC]
      Create an organization and its owner. The password is PORTICO_ADMIN_PASSWORD, or a generated one printed once.

  backup [--to FILE]
      Copy the SQLite database, consistent even while Portico serves (default DATA_DIR/backups/portico-<time>.sqlite).
  restore FILE [--force]
      Verify the backup, copy it into the database and migrate it; --force replaces a database that holds data.
  verify-backup FILE|POSTGRES_URL
      Check a backup: integrity, schema version, rows per table, and that the books reconcile. Exit 1 if not.

Configuration comes from the environment: PORT, HOST, DATA_DIR, DATABASE_URL, PUBLIC_URL, APP_SECRET,
SMTP_URL, MAIL_FROM, NODE_ENV, LOG_LEVEL, TRUST_PROXY, BACKUP_DIR, BACKUP_EVERY, BACKUP_KEEP (README, "Configuration").
`;

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | Array<string | boolean> | undefined>;

interface Command {
  options: Options;
  /** The one argument the command takes after its name (a file), if any. */
  argument?: string;
  run(values: Values, argument: string): Promise<void>;
}

const text = (values: Values, name: string): string | undefined => {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
};

// Each command's module is loaded only when it runs, so `migrate` does not pay for loading the web server.
const commands: Record<string, Command> = {
  serve: {
    options: { role: { type: 'string' }, demo: { type: 'boolean' }, 'no-demo': { type: 'boolean' } },
    async run(values) {
      const role = text(values, 'role') ?? 'all';
      if (role !== 'web' && role !== 'worker' && role !== 'all') {
        throw new UsageError(`--role must be web, worker or all, not "${role}".`);
      }
      if (values.demo === true && values['no-demo'] === true)
        throw new UsageError('Give --demo or --no-demo, not both.');
      const { serve } = await import('./cli/serve.js');
      await serve({ role, demo: values.demo === true ? 'add' : values['no-demo'] === true ? 'none' : 'auto' });
    },
  },
  migrate: {
    options: {},
    async run() {
      const { migrate } = await import('./cli/migrate.js');
      await migrate();
    },
  },
  'rebuild-figures': {
    options: {},
    async run() {
      const { rebuildFiguresCommand } = await import('./cli/rebuild-figures.js');
      await rebuildFiguresCommand();
    },
  },
  'rebuild-search': {
    options: {},
    async run() {
      const { rebuildSearchCommand } = await import('./cli/rebuild-search.js');
      await rebuildSearchCommand();
    },
  },
  seed: {
    options: { demo: { type: 'boolean' }, json: { type: 'boolean' }, scale: { type: 'string' } },
    async run(values) {
      const scale = text(values, 'scale');
      if (values.demo === true && scale === undefined) {
        const { seedDemoCommand } = await import('./cli/seed-demo.js');
        await seedDemoCommand({ json: values.json === true });
        return;
      }
      if (scale !== undefined && values.demo !== true && values.json !== true) {
        if (!/^[1-9]\d{0,8}$/.test(scale))
          throw new UsageError('--scale takes a whole number of invoices, at least 1.');
        const { seedScaleCommand } = await import('./cli/seed-scale.js');
        await seedScaleCommand({ invoices: Number(scale) });
        return;
      }
      throw new UsageError('seed needs either --demo [--json] or --scale N.');
    },
  },
  'create-admin': {
    options: {
      org: { type: 'string' },
      email: { type: 'string' },
      slug: { type: 'string' },
      currency: { type: 'string' },
      'time-zone': { type: 'string' },
    },
    async run(values) {
      const name = text(values, 'org');
      const email = text(values, 'email');
      if (!name || !email) throw new UsageError('create-admin needs --org NAME and --email EMAIL.');
      const { createAdminCommand } = await import('./cli/create-admin.js');
      await createAdminCommand({
        name,
        email,
        slug: text(values, 'slug'),
        currency: text(values, 'currency') ?? 'USD',
        timeZone: text(values, 'time-zone') ?? 'UTC',
      });
    },
  },
  backup: {
    options: { to: { type: 'string' } },
    async run(values) {
      const { backupCommand } = await import('./cli/backup.js');
      await backupCommand({ to: text(values, 'to') });
    },
  },
  restore: {
    options: { force: { type: 'boolean' } },
    argument: 'FILE',
    async run(values, file) {
      const { restoreCommand } = await import('./cli/restore.js');
      await restoreCommand({ file, force: values.force === true });
    },
  },
  'verify-backup': {
    options: {},
    argument: 'FILE',
    async run(_values, file) {
      const { verifyBackupCommand } = await import('./cli/verify-backup.js');
      await verifyBackupCommand(file);
    },
  },
};

function parse(argv: string[]): { command: Command; values: Values; argument: string } {
  const [name, ...rest] = argv;
  if (name === undefined) throw new UsageError('Name a command.');
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) throw new UsageError(`Unknown command "${name}".`);
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: !!command.argument });
  } catch (error) {
    // parseArgs explains unknown flags, missing values and stray arguments; it is still a usage mistake.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const [argument, ...extra] = parsed.positionals;
  if (command.argument && (argument === undefined || extra.length > 0)) {
    throw new UsageError(`${name} takes one ${command.argument}.`);
  }
  return { command, values: parsed.values, argument: argument ?? '' };
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    const { command, values, argument } = parse(argv);
    await command.run(values, argument);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`portico: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof CommandError) {
      process.stderr.write(`portico: ${error.message}\n`);
      return 1;
    }
    if (error instanceof AppError) {
      const lines = error.errors.length > 0 ? error.errors.map((e) => `${e.path}: ${e.message}`) : [error.message];
      process.stderr.write(lines.map((line) => `portico: ${line}\n`).join(''));
      return 1;
    }
    process.stderr.write(`portico: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
