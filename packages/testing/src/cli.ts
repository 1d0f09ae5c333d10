#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { startEmulator } from './emulator/server.js';
import type { EmulatorSeed } from './emulator/types.js';

/**
 * `knoxcall-emulator [--port N] [--seed file.json] [--token-ttl S] [--require-dpop] [--dpop-nonces]`
 * Starts the emulator on 127.0.0.1, prints its URL and credentials, runs until SIGINT/SIGTERM.
 */

const USAGE = `Usage: knoxcall-emulator [--port N] [--seed file.json] [--token-ttl seconds] [--require-dpop] [--dpop-nonces]

Starts a local KnoxCall emulator on 127.0.0.1 and runs until interrupted.
  --port N            listen on port N (default: a free port)
  --seed FILE         JSON seed (tenant, oauth_clients, api_keys, environments, secrets, routes, webhooks)
  --token-ttl S       access-token lifetime in seconds (default 3600)
  --require-dpop      token requests must carry a DPoP proof
  --dpop-nonces       demand DPoP server nonces`;

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]) {
  const out: { port?: number; seed?: string; ttl?: number; requireDpop: boolean; dpopNonces: boolean } = { requireDpop: false, dpopNonces: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) fail(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port': {
        const p = Number(value());
        if (!Number.isInteger(p) || p < 0 || p > 65535) fail('--port must be an integer between 0 and 65535');
        out.port = p;
        break;
      }
      case '--seed':
        out.seed = value();
        break;
      case '--token-ttl': {
        const t = Number(value());
        if (!Number.isInteger(t) || t < 1) fail('--token-ttl must be a positive integer');
        out.ttl = t;
        break;
      }
      case '--require-dpop':
        out.requireDpop = true;
        break;
      case '--dpop-nonces':
        out.dpopNonces = true;
        break;
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        fail(`unknown argument "${arg}"`);
    }
  }
  return out;
}

function loadSeed(path: string): EmulatorSeed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    fail(`cannot read seed file ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    const seed: unknown = JSON.parse(text);
    if (seed === null || typeof seed !== 'object' || Array.isArray(seed)) fail(`seed file ${path} must contain a JSON object`);
    return seed as EmulatorSeed;
  } catch (e) {
    fail(`seed file ${path} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const emulator = await startEmulator({
    ...(args.port !== undefined ? { port: args.port } : {}),
    ...(args.seed !== undefined ? { seed: loadSeed(args.seed) } : {}),
    ...(args.ttl !== undefined ? { tokenTtlSeconds: args.ttl } : {}),
    requireDpop: args.requireDpop,
    dpopNonces: args.dpopNonces,
  });
  const c = emulator.credentials;
  process.stdout.write(
    `KnoxCall emulator listening on ${emulator.url}\n` +
      `  tenant:        ${emulator.tenant}\n` +
      `  client id:     ${c.clientId}\n` +
      `  client secret: ${c.clientSecret}\n` +
      `  api key:       ${c.apiKey}\n` +
      `  legacy key:    ${c.legacyKey}\n` +
      `Try: KNOXCALL_BASE_URL=${emulator.url} KNOXCALL_API_KEY=${c.apiKey} …  (Ctrl-C to stop)\n`,
  );
  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
