import { login } from '@knoxcall/core';
import { defineCommand } from '../args.js';
import { USAGE } from '../usage.js';

export const loginCommand = defineCommand(
  USAGE.login,
  {
    tenant: { type: 'string' },
    'base-url': { type: 'string' },
    sandbox: { type: 'boolean' },
    profile: { type: 'string' },
    device: { type: 'boolean' },
    'no-browser': { type: 'boolean' },
  },
  async (values, io) => {
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
  },
);
