import { KnoxCall, KnoxCallError, StoredCredentials, storedLogin } from '@knoxcall/core';
import { defineCommand } from '../args.js';
import { USAGE } from '../usage.js';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export const whoamiCommand = defineCommand(USAGE.whoami, { profile: { type: 'string' } }, async (values, io) => {
  const stored = await storedLogin({ profile: values.profile });
  if (!stored) {
    const profile = values.profile ?? io.env('KNOXCALL_PROFILE') ?? 'default';
    throw new KnoxCallError(`not logged in (no profile "${profile}" in the credentials file) — run \`knoxcall login\``);
  }
  const client = new KnoxCall({ bootstrap: new StoredCredentials({ path: stored.path, profile: stored.profile }) });
  const account = (await client.account.get()) as unknown as Record<string, unknown>;
  io.out(`Account: ${text(account.name) ?? text(account.company_name) ?? '(unnamed)'}`);
  io.out(`Slug:    ${text(account.slug) ?? stored.tenant ?? '(unknown)'}`);
  io.out(`Plan:    ${text(account.plan) ?? text(account.subscription_plan) ?? '(unknown)'}`);
  io.out(`Profile: ${stored.profile}`);
  io.out(`File:    ${stored.path}`);
  return 0;
});
