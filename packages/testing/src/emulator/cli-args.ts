import { readFileSync } from 'node:fs';
import type { EmulatorOptions, EmulatorSeed } from './types.js';

/** Argument and seed-file handling of the `knoxcall-emulator` bin, kept pure so it is testable. */

export const CLI_USAGE = `Usage: knoxcall-emulator [--port N] [--seed file.json] [--token-ttl seconds] [--require-dpop] [--dpop-nonces]

Starts a local KnoxCall emulator on 127.0.0.1 and runs until interrupted (Ctrl-C / SIGTERM).
  --port N            listen on port N (default: a free port)
  --seed FILE         JSON seed: tenant, oauth_clients, api_keys, refresh_tokens, environments,
                      secrets, routes, webhooks (see the README for the schema)
  --token-ttl S       access-token lifetime in seconds (default 3600)
  --require-dpop      token requests must carry a DPoP proof
  --dpop-nonces       demand DPoP server nonces
  --help              show this help`;

export class CliUsageError extends Error {}

export type CliCommand = { kind: 'help' } | { kind: 'run'; options: EmulatorOptions; seedPath?: string };

export function parseCliArgs(argv: readonly string[]): CliCommand {
  const options: EmulatorOptions = {};
  let seedPath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new CliUsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port': {
        const p = Number(value());
        if (!Number.isInteger(p) || p < 0 || p > 65535) throw new CliUsageError('--port must be an integer between 0 and 65535');
        options.port = p;
        break;
      }
      case '--seed':
        seedPath = value();
        break;
      case '--token-ttl': {
        const t = Number(value());
        if (!Number.isInteger(t) || t < 1) throw new CliUsageError('--token-ttl must be a positive integer');
        options.tokenTtlSeconds = t;
        break;
      }
      case '--require-dpop':
        options.requireDpop = true;
        break;
      case '--dpop-nonces':
        options.dpopNonces = true;
        break;
      case '--help':
      case '-h':
        return { kind: 'help' };
      default:
        throw new CliUsageError(`unknown argument "${arg}"`);
    }
  }
  return seedPath === undefined ? { kind: 'run', options } : { kind: 'run', options, seedPath };
}

/** Reads and sanity-checks a seed file; errors name the file and the problem. */
export function loadSeedFile(path: string): EmulatorSeed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliUsageError(`cannot read seed file ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let seed: unknown;
  try {
    seed = JSON.parse(text);
  } catch (e) {
    throw new CliUsageError(`seed file ${path} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (seed === null || typeof seed !== 'object' || Array.isArray(seed)) throw new CliUsageError(`seed file ${path} must contain a JSON object`);
  const s = seed as Record<string, unknown>;
  for (const list of ['oauth_clients', 'api_keys', 'refresh_tokens', 'environments', 'secrets', 'routes', 'webhooks']) {
    if (s[list] !== undefined && !Array.isArray(s[list])) throw new CliUsageError(`seed file ${path}: "${list}" must be an array`);
  }
  for (const [i, r] of ((s['routes'] as unknown[] | undefined) ?? []).entries()) {
    const route = r as Record<string, unknown> | null;
    if (!route || typeof route['name'] !== 'string' || typeof route['target_base_url'] !== 'string') {
      throw new CliUsageError(`seed file ${path}: routes[${i}] needs "name" and "target_base_url"`);
    }
  }
  for (const [i, r] of ((s['secrets'] as unknown[] | undefined) ?? []).entries()) {
    const secret = r as Record<string, unknown> | null;
    if (!secret || typeof secret['name'] !== 'string' || typeof secret['value'] !== 'string')
      throw new CliUsageError(`seed file ${path}: secrets[${i}] needs "name" and "value"`);
  }
  return seed as EmulatorSeed;
}
