import type { Reply } from './reply.js';

type Entry = { state: 'pending'; fingerprint: string } | { state: 'done'; fingerprint: string; reply: Reply };

/**
 * Server-side idempotency for mutating requests: the first response for a key is stored and
 * replayed for repeats (same status, headers and body; nothing is created again); a repeat that
 * arrives while the first is still being handled gets 409 `request_in_progress`.
 * Keys are scoped per credential so two callers cannot read each other's results.
 */
export class IdempotencyCache {
  private readonly entries = new Map<string, Entry>();

  begin(scope: string, key: string, fingerprint: string): { kind: 'new' } | { kind: 'replay'; reply: Reply } | { kind: 'in_progress' } | { kind: 'mismatch' } {
    const id = `${scope}\u0000${key}`;
    const entry = this.entries.get(id);
    if (!entry) {
      this.entries.set(id, { state: 'pending', fingerprint });
      return { kind: 'new' };
    }
    if (entry.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (entry.state === 'pending') return { kind: 'in_progress' };
    return { kind: 'replay', reply: entry.reply };
  }

  finish(scope: string, key: string, fingerprint: string, reply: Reply): void {
    const id = `${scope}\u0000${key}`;
    // Server errors are not remembered: a retry after a 5xx should really retry.
    if (reply.status >= 500) this.entries.delete(id);
    else this.entries.set(id, { state: 'done', fingerprint, reply });
  }

  abandon(scope: string, key: string): void {
    this.entries.delete(`${scope}\u0000${key}`);
  }

  clear(): void {
    this.entries.clear();
  }
}
