import type { AddressInfo } from 'node:net';
import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';

export interface StartedNestApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/** Compiles `metadata` with Nest 11's @nestjs/testing and serves it (Express) on 127.0.0.1. */
export async function startNest11App(
  metadata: ModuleMetadata,
  options: { rawBody?: boolean; beforeListen?: (app: INestApplication) => void } = {},
): Promise<StartedNestApp> {
  const moduleRef = await Test.createTestingModule(metadata).compile();
  const app = moduleRef.createNestApplication(new ExpressAdapter(), { rawBody: options.rawBody ?? true, logger: false });
  options.beforeListen?.(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
