/**
 * Programmatic interactive login is refused where nobody can answer it (contract auth §9):
 * `KNOXCALL_NO_INTERACTIVE` or `CI` set, or stdin/stdout not a TTY — with a message that says
 * what to use instead.
 */
import { NotAuthenticatedError } from '../../errors.js';

export function assertInteractive(getEnv: (name: string) => string | undefined, isTty: () => boolean): void {
  const set = (name: string) => {
    const value = getEnv(name);
    return value !== undefined && value !== '';
  };
  const reason = set('KNOXCALL_NO_INTERACTIVE')
    ? 'KNOXCALL_NO_INTERACTIVE is set'
    : set('CI')
      ? 'CI is set'
      : !isTty()
        ? 'there is no terminal (stdin/stdout is not a TTY)'
        : undefined;
  if (reason === undefined) return;
  throw new NotAuthenticatedError(
    `interactive KnoxCall login is not possible here (${reason}). Run \`knoxcall login\` on a machine with a browser or terminal, or give this process a credential: KNOXCALL_ACCESS_TOKEN (or KNOXCALL_API_KEY), KNOXCALL_CLIENT_ID and KNOXCALL_CLIENT_SECRET, or a workload identity (GitHub Actions, GCP, AWS, Azure, Vercel, CircleCI, Buildkite). Pass allowNonInteractive: true only if a person will really answer the prompt.`,
    { code: 'interactive_login_refused' },
  );
}
