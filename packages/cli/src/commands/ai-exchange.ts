import { exchangeToken } from '@knoxcall/core';
import { parseOptions } from '../args.js';
import type { CliIo } from '../io.js';
import { USAGE, UsageError } from '../usage.js';

export async function aiExchangeCommand(argv: string[], io: CliIo): Promise<number> {
  const { help, values } = parseOptions(
    argv,
    {
      tenant: { type: 'string' },
      'base-url': { type: 'string' },
      sandbox: { type: 'boolean' },
      resource: { type: 'string' },
      audience: { type: 'string' },
    },
    USAGE.aiExchange,
  );
  if (help) {
    io.out(USAGE.aiExchange);
    return 0;
  }
  if (values.tenant === undefined && values['base-url'] === undefined) throw new UsageError('pass --tenant or --base-url', USAGE.aiExchange);
  if (values.tenant !== undefined && values['base-url'] !== undefined) throw new UsageError('pass either --tenant or --base-url, not both', USAGE.aiExchange);
  // Only from the environment: a token on the command line is visible to every user of the machine.
  const subject = io.env('KNOXCALL_SUBJECT_TOKEN')?.trim();
  if (!subject) {
    throw new UsageError('KNOXCALL_SUBJECT_TOKEN is not set: put the workload OIDC token in that environment variable (never on the command line)', USAGE.aiExchange);
  }
  const response = await exchangeToken(
    { subject_token: subject, ...(values.resource !== undefined ? { resource: values.resource } : {}), ...(values.audience !== undefined ? { audience: values.audience } : {}) },
    { tenant: values.tenant, baseUrl: values['base-url'], sandbox: values.sandbox, warn: io.err },
  );
  io.out(response.access_token);
  return 0;
}
