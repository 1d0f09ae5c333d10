import { login } from '@knoxcall/core';
import { parseOptions } from '../args.js';
import type { CliIo } from '../io.js';
import { USAGE } from '../usage.js';

export async function loginCommand(argv: string[], io: CliIo): Promise<number> {
  const { help, values } = parseOptions(
    argv,
    {
      tenant: { type: 'string' },
      'base-url': { type: 'string' },
      sandbox: { type: 'boolean' },
      profile: { type: 'string' },
      device: { type: 'boolean' },
      'no-browser': { type: 'boolean' },
    },
    USAGE.login,
  );
  if (help) {
    io.out(USAGE.login);
    return 0;
  }
  await login({
    tenant: values.tenant,
    baseUrl: values['base-url'],
    sandbox: values.sandbox,
    profile: values.profile,
    mode: values.device || values['no-browser'] ? 'device' : 'auto',
    // The person typed `knoxcall login`: they are there to answer it, even without a TTY on stdout.
    allowNonInteractive: true,
    output: io.err,
  });
  return 0;
}
