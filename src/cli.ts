import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { openBus, openStore } from './backends.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { DomainError } from './domain/errors.js';
import { BusChatEvents } from './realtime/bus-chat-events.js';
import { createServices } from './services/create-services.js';
import type { UsersService } from './services/users-service.js';
import { VERSION } from './version.js';

/** Where the CLI writes: tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

const USAGE = `Usage: orbit <command> [options]

Commands:
  create-user <username> --password P [--email E] [--name N] [--admin]
                      create an active user (joins the default rooms)
  reset-password <username> --password P
                      set a new password and end the user's sessions
  version             print Orbit's version

The database is the one the server uses (ORBIT_DATA_DIR …); the server need not run.
Run \`orbit <command> --help\` for a command's options.
`;

const HELP: Record<string, string> = {
  'create-user': `Usage: orbit create-user <username> --password P [--email E] [--name N] [--admin]

Creates an active user with global role "user" (and "admin" with --admin) and joins it to the
default rooms. Prints the new user's id.

Options:
  --password P   the password (required)
  --email E      e-mail address
  --name N       display name (default: the username)
  --admin        also give the global role "admin"
  -h, --help     show this help
`,
  'reset-password': `Usage: orbit reset-password <username> --password P

Sets a new password and forgets every login token of the user.

Options:
  --password P   the new password (required)
  -h, --help     show this help
`,
  version: `Usage: orbit version

Prints Orbit's version.
`,
};

/** A mistake in the command line: usage text, exit code 2. */
class UsageError extends Error {}

/** Runs one CLI command; resolves with the process exit code. */
export async function runCli(argv: readonly string[], env?: Record<string, string | undefined>, io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    (command === undefined ? io.err : io.out)(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') return runCli(['version', ...rest], env, io);
  const help = HELP[command];
  if (!help) {
    io.err(`orbit: unknown command '${command}'\n\n${USAGE}`);
    return 2;
  }
  try {
    const args = parse(command, rest);
    if (args.values.help) {
      io.out(help);
      return 0;
    }
    if (command === 'version') {
      if (args.positionals.length > 0) throw new UsageError('version takes no arguments');
      io.out(`${VERSION}\n`);
      return 0;
    }
    const [username, ...extra] = args.positionals;
    if (!username || extra.length > 0) throw new UsageError(`${command} takes exactly one <username>`);
    const password = args.values.password;
    if (typeof password !== 'string' || password === '') throw new UsageError('--password is required');
    const config = env ? loadConfig(env) : loadConfig();
    return await withUsers(config, async (users) => {
      if (command === 'create-user') {
        const user = await users.create({
          username,
          password,
          name: typeof args.values.name === 'string' ? args.values.name : username,
          ...(typeof args.values.email === 'string' ? { email: args.values.email } : {}),
          roles: args.values.admin ? ['user', 'admin'] : ['user'],
        });
        io.out(`created user ${user.username} (${user._id})${args.values.admin ? ' with role admin' : ''}\n`);
      } else {
        const user = await users.resetPassword(username, password);
        io.out(`password of ${user.username} reset; its login tokens were revoked\n`);
      }
      return 0;
    });
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`orbit ${command}: ${err.message}\n\n${help}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.err(`orbit: ${err.message}\n`);
      return 2;
    }
    if (err instanceof DomainError) {
      io.err(`orbit ${command}: ${err.reason ?? err.code}\n`);
      return 1;
    }
    io.err(`orbit ${command}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

function parse(command: string, args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        ...(command === 'create-user' || command === 'reset-password' ? { password: { type: 'string' } } : {}),
        ...(command === 'create-user'
          ? { email: { type: 'string' }, name: { type: 'string' }, admin: { type: 'boolean' } }
          : {}),
      } as const,
    }) as { values: Record<string, string | boolean | undefined>; positionals: string[] };
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** Opens the server's store and bus (seeding the defaults a fresh store needs), runs `fn`, closes them. */
async function withUsers<T>(config: Config, fn: (users: UsersService) => Promise<T>): Promise<T> {
  const store = await openStore(config);
  // With the NATS bus, running servers hear the changes (a reset password ends its sessions).
  const bus = await openBus(config, pino({ level: 'silent' }));
  try {
    const services = await createServices(store, new BusChatEvents(bus), config);
    return await fn(services.users);
  } finally {
    await bus.close();
    await store.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`orbit: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
