import { exchangeToken } from '@knoxcall/core';
import { defineCommand } from '../args.js';
import { USAGE, UsageError } from '../usage.js';

export const aiExchangeCommand = defineCommand(
  USAGE.aiExchange,
  {
    tenant: { type: 'string' },
    'base-url': { type: 'string' },
    sandbox: { type: 'boolean' },
    resource: { type: 'string' },
    audience: { type: 'string' },
  },
  async (values, io) => {
    if (values.tenant === undefined && values['base-url'] === undefined) throw new UsageError('pass --tenant or --base-url', USAGE.aiExchange);
    if (values.tenant !== undefined && values['base-url'] !== undefined) {
      throw new UsageError('pass either --tenant or --base-url, not both', USAGE.aiExchange);
    }
    // Only from the environment: a token on the command line is visible to every user of the machine.
    const subject = io.env('KNOXCALL_SUBJECT_TOKEN')?.trim();
    if (!subject) {
      throw new UsageError(
        'KNOXCALL_SUBJECT_TOKEN is not set: put the workload OIDC token in that environment variable (never on the command line)',
        USAGE.aiExchange,
      );
    }
    const input = {
      subject_token: subject,
      ...(values.resource !== undefined ? { resource: values.resource } : {}),
      ...(values.audience !== undefined ? { audience: values.audience } : {}),
    };
    const response = await exchangeToken(input, { tenant: values.tenant, baseUrl: values['base-url'], sandbox: values.sandbox, warn: io.err });
    io.out(response.access_token);
    return 0;
  },
);
