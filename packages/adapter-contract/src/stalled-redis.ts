import { createRequire } from 'node:module';
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import type { RedisClient } from '@knoxcall/core/webhooks';

/**
 * A "Redis" that accepts TCP connections and never answers (a black-holed socket), with a
 * real ioredis client connected to it: the failure mode where Redis stalls rather than
 * refuses. ioredis is core's dev dependency (core tests its Redis stores with it); this
 * private package borrows it from there rather than declaring a second copy.
 */
export interface StalledRedis {
  client: RedisClient;
  /** Where it listens, for an app in another process to connect its own client. */
  address: { host: string; port: number };
  /** How many connections it accepted: the store's client really reached it. */
  connections(): number;
  close(): Promise<void>;
}

type IORedisConstructor = new (options: { host: string; port: number }) => RedisClient & { disconnect(): void };

export async function startStalledRedis(): Promise<StalledRedis> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket); // read nothing, answer nothing
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fromCore = createRequire(createRequire(import.meta.url).resolve('@knoxcall/core'));
  const IORedis = fromCore('ioredis') as IORedisConstructor;
  const address = { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
  const client = new IORedis(address);
  return {
    client,
    address,
    connections: () => sockets.length,
    async close() {
      client.disconnect();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
