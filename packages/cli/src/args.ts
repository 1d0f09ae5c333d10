/** Strict option parsing per command: unknown options and stray positionals are usage errors. */
import { parseArgs } from 'node:util';
import { UsageError } from './usage.js';

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

export function parseOptions<T extends OptionSpec>(argv: string[], spec: T, usage: string): { help: boolean; values: { [K in keyof T]?: T[K]['type'] extends 'string' ? string : boolean } } {
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
