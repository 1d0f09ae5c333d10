import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule, type AppModuleOptions } from './app.module.js';

export interface StartOptions extends AppModuleOptions {
  port?: number;
  host?: string;
  /** Nest's startup logging; the demo turns it off. */
  quiet?: boolean;
}

export interface RunningExample {
  url: string;
  close(): Promise<void>;
}

const LOG_LEVELS: LogLevel[] = ['log', 'warn', 'error'];

/** Creates the Nest app (with the raw bodies @KnoxWebhook() verifies) and listens; `close()` also closes the KnoxCall client. */
export async function startServer(options: StartOptions): Promise<RunningExample> {
  const { port = 0, host = '127.0.0.1', quiet = false, ...moduleOptions } = options;
  // rawBody: true keeps the exact bytes next to Nest's parsed JSON body — the signature covers
  // those bytes, never a re-serialized body.
  const app = await NestFactory.create(AppModule.forRoot(moduleOptions), { rawBody: true, logger: quiet ? false : LOG_LEVELS });
  await app.listen(port, host);
  const { port: bound } = app.getHttpServer().address() as AddressInfo;
  return { url: `http://${host}:${bound}`, close: () => app.close() };
}
