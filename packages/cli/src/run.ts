/**
 * The command dispatcher and the exit-code contract: 0 success; 1 for a failure (a
 * `KnoxCallError` or any other error, printed as `error: …` on stderr); 2 for a usage error
 * (printed with the command's help).
 */
import { isKnoxCallError } from '@knoxcall/core';
import { aiExchangeCommand } from './commands/ai-exchange.js';
import { loginCommand } from './commands/login.js';
import { logoutCommand } from './commands/logout.js';
import { whoamiCommand } from './commands/whoami.js';
import type { Command } from './args.js';
import type { CliIo } from './io.js';
import { USAGE, UsageError } from './usage.js';

const COMMANDS: Record<string, Command> = {
  login: loginCommand,
  logout: logoutCommand,
  whoami: whoamiCommand,
  ai: async (argv, io) => {
    const [sub, ...rest] = argv;
    if (sub === '--help' || sub === '-h') {
      io.out(USAGE.ai);
      return 0;
    }
    if (sub === 'exchange') return aiExchangeCommand(rest, io);
    throw new UsageError(sub === undefined ? 'missing ai subcommand' : `unknown ai subcommand "${sub}"`, USAGE.ai);
  },
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === '--help' || name === '-h' || name === 'help') {
      io.out(USAGE.main);
      return 0;
    }
    const command = name === undefined ? undefined : COMMANDS[name];
    if (!command) throw new UsageError(name === undefined ? 'missing command' : `unknown command "${name}"`, USAGE.main);
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\n\n${error.usage}`);
      return 2;
    }
    // KnoxCall errors never carry secrets; their message says what to do.
    const message = isKnoxCallError(error) || error instanceof Error ? error.message : String(error);
    io.err(`error: ${message}`);
    return 1;
  }
}
