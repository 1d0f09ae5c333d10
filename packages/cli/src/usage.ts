/** Help texts: one per command, printed by `--help` (stdout, exit 0) and after usage errors (stderr, exit 2). */
export const USAGE = {
  main: `Usage: knoxcall <command> [options]

Commands:
  login        Sign in (browser, or device code) and save a credentials profile
  logout       Revoke and remove a saved profile
  whoami       Show the account of a saved profile
  ai exchange  Exchange a workload OIDC token (KNOXCALL_SUBJECT_TOKEN) for a data-plane token

Run "knoxcall <command> --help" for a command's options.`,
  login: `Usage: knoxcall login [--tenant <slug>] [--base-url <url>] [--sandbox] [--profile <name>] [--device] [--no-browser]

  --tenant <slug>    Tenant hint for the browser sign-in page
  --base-url <url>   Management base URL (default KNOXCALL_BASE_URL, else the API or sandbox host)
  --sandbox          Sign in to the sandbox
  --profile <name>   Profile to write (default KNOXCALL_PROFILE, else "default")
  --device           Use the device-code flow (no browser on this machine)
  --no-browser       Same as --device

Prints the sign-in URL or user code, never tokens. Credentials go to KNOXCALL_CREDENTIALS_FILE
(default ~/.knoxcall/credentials.json), mode 0600.`,
  logout: `Usage: knoxcall logout [--profile <name>]

Revokes the profile's refresh token (best effort) and removes the profile from the credentials file.`,
  whoami: `Usage: knoxcall whoami [--profile <name>]

Shows the account name, slug and plan of a saved profile, with the profile name and file.`,
  ai: `Usage: knoxcall ai <subcommand>

Subcommands:
  exchange   Exchange KNOXCALL_SUBJECT_TOKEN for a data-plane token (knoxcall ai exchange --help)`,
  aiExchange: `Usage: knoxcall ai exchange (--tenant <slug> | --base-url <url>) [--sandbox] [--resource <uri>] [--audience <aud>]

Reads the workload's OIDC token from the KNOXCALL_SUBJECT_TOKEN environment variable (never from
the command line, where other users could read it) and prints only the minted access token.

  --tenant <slug>     Tenant whose data plane mints the token
  --base-url <url>    Explicit data-plane origin (instead of --tenant)
  --sandbox           With --tenant: the sandbox data plane
  --resource <uri>    An MCP server's resource: narrows the token to that server
  --audience <aud>    Default knoxcall:gateway`,
} as const;

/** A usage mistake: printed with the command's help, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}
