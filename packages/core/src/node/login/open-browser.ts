/**
 * Opens a URL in the user's browser, best effort (a failure is ignored: the URL is printed
 * anyway). `BROWSER` names the command to use, as many CLIs honour it; `BROWSER=none` opens
 * nothing. Otherwise the platform's opener.
 */
import { spawn } from 'node:child_process';

export function openInBrowser(url: string, getEnv: (name: string) => string | undefined): void {
  const configured = getEnv('BROWSER');
  if (configured === 'none') return;
  let command: string;
  let args: string[];
  if (configured) {
    [command, ...args] = configured.split(/\s+/).filter(Boolean) as [string, ...string[]];
    args.push(url);
  } else if (process.platform === 'darwin') [command, args] = ['open', [url]];
  else if (process.platform === 'win32') [command, args] = ['rundll32', ['url.dll,FileProtocolHandler', url]];
  else [command, args] = ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // ignored: the URL is printed
  }
}
