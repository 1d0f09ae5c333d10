import type { AddressInfo } from 'node:net';
import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';

export type Platform = 'express' | 'fastify';
export const PLATFORMS: readonly Platform[] = ['express', 'fastify'];

export interface StartedNestApp {
  app: INestApplication;
  /** Base URL on 127.0.0.1, without a trailing slash. */
  url: string;
  close(): Promise<void>;
}

/**
 * Compiles `metadata` with @nestjs/testing and serves it on 127.0.0.1 on the given platform,
 * with `{ rawBody: true }` unless told otherwise (the setup @KnoxWebhook documents).
 */
export async function startNestApp(
  platform: Platform,
  metadata: ModuleMetadata,
  options: { rawBody?: boolean; bodyParser?: boolean; beforeListen?: (app: INestApplication) => void } = {},
): Promise<StartedNestApp> {
  const moduleRef = await Test.createTestingModule(metadata).compile();
  const adapter = platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = moduleRef.createNestApplication(adapter, {
    rawBody: options.rawBody ?? true,
    ...(options.bodyParser === false ? { bodyParser: false } : {}),
    logger: false,
  });
  options.beforeListen?.(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
