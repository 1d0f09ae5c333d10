import { logout } from '@knoxcall/core';
import { defineCommand } from '../args.js';
import { USAGE } from '../usage.js';

export const logoutCommand = defineCommand(USAGE.logout, { profile: { type: 'string' } }, async (values, io) => {
  const result = await logout({ profile: values.profile });
  if (!result.removed) {
    io.out(`No saved credentials for profile "${result.profile}" in ${result.path} — nothing to do.`);
    return 0;
  }
  io.out(
    `Logged out of profile "${result.profile}" (${result.path})${result.revoked ? '; the refresh token was revoked' : '; the server could not be reached to revoke the refresh token'}.`,
  );
  return 0;
});
