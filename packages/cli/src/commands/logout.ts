import { logout } from '@knoxcall/core';
import { parseOptions } from '../args.js';
import type { CliIo } from '../io.js';
import { USAGE } from '../usage.js';

export async function logoutCommand(argv: string[], io: CliIo): Promise<number> {
  const { help, values } = parseOptions(argv, { profile: { type: 'string' } }, USAGE.logout);
  if (help) {
    io.out(USAGE.logout);
    return 0;
  }
  const result = await logout({ profile: values.profile });
  if (!result.removed) {
    io.out(`No saved credentials for profile "${result.profile}" in ${result.path} — nothing to do.`);
    return 0;
  }
  io.out(
    `Logged out of profile "${result.profile}" (${result.path})${result.revoked ? '; the refresh token was revoked' : '; the server could not be reached to revoke the refresh token'}.`,
  );
  return 0;
}
