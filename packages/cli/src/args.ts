/** Strict option parsing per command: unknown options and stray positionals are usage errors. */
import { parseArgs } from 'node:util';
import type { CliIo } from './io.js';
import { UsageError } from './usage.js';

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;
type Values<T extends OptionSpec> = { [K in keyof T]?: T[K]['type'] extends 'string' ? string : boolean };

export type Command = (argv: string[], io: CliIo) => Promise<number>;

/** A command: its options parsed strictly, `--help` answered with its usage (exit 0), then `run`. */
export function defineCommand<T extends OptionSpec>(usage: string, spec: T, run: (values: Values<T>, io: CliIo) => Promise<number>): Command {
  return async (argv, io) => {
    const { help, values } = parseOptions(argv, spec, usage);
    if (help) {
      io.out(usage);
      return 0;
    }
    return run(values, io);
  };
}

export function parseOptions<T extends OptionSpec>(argv: string[], spec: T, usage: string): { help: boolean; values: Values<T> } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: { ...spec, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('\n')[0]! : String(error), usage);
  }
  const { help, ...values } = parsed.values as Record<string, unknown>;
  if (help) return { help: true, values: {} };
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`, usage);
  for (const [name, value] of Object.entries(values)) {
    if (spec[name]?.type === 'string' && value === '') throw new UsageError(`--${name} needs a non-empty value`, usage);
  }
  return { help: false, values: values as never };
}
