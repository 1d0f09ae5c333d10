import { KnoxCall, isKnoxCallError } from '@knoxcall/core';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InjectKnoxCall, KNOXCALL_CLIENT, KNOXCALL_MODULE_OPTIONS, KnoxCallModule, type KnoxCallModuleOptions } from '../src/index.js';
import { startNestApp } from './nest-app.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.close();
});

const CONFIG = 'app-config';

/** Stands in for @nestjs/config: a module exporting a config provider the async factory injects. */
@Module({
  providers: [{ provide: CONFIG, useFactory: () => ({ baseUrl: emulator.url, apiKey: emulator.credentials.apiKey }) }],
  exports: [CONFIG],
})
class ConfigModule {}

@Injectable()
class UsesClient {
  constructor(@InjectKnoxCall() readonly knox: KnoxCall) {}
}

describe('KnoxCallModule', () => {
  it('forRootAsync: builds its client from a factory with imports and inject, and closes it on shutdown', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        KnoxCallModule.forRootAsync({
          imports: [ConfigModule],
          inject: [CONFIG],
          useFactory: async (config: { baseUrl: string; apiKey: string }): Promise<KnoxCallModuleOptions> => ({
            clientOptions: { ...config, retry: { maxAttempts: 1 } },
          }),
        }),
      ],
      providers: [UsesClient],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const knox = app.get(UsesClient).knox;
    expect(knox).toBe(app.get(KNOXCALL_CLIENT));
    await expect(knox.routes.list()).resolves.toBeDefined();
    expect((app.get(KNOXCALL_MODULE_OPTIONS) as KnoxCallModuleOptions).clientOptions?.baseUrl).toBe(emulator.url);
    await app.close();
    await expect(knox.routes.list()).rejects.toSatisfy(isKnoxCallError);
  });

  it('never closes a client the app passed in', async () => {
    const client = new KnoxCall({ baseUrl: emulator.url, apiKey: emulator.credentials.apiKey, retry: { maxAttempts: 1 } });
    const app = await startNestApp('express', { imports: [KnoxCallModule.forRoot({ client })] });
    await app.close();
    await expect(client.routes.list()).resolves.toBeDefined();
    await client.close();
  });

  it('fails at boot when neither or both of client and clientOptions are given', async () => {
    for (const options of [{}, { client: new KnoxCall({ baseUrl: emulator.url, apiKey: 'kc_x' }), clientOptions: {} }]) {
      const compiling = Test.createTestingModule({ imports: [KnoxCallModule.forRoot(options as KnoxCallModuleOptions)] }).compile();
      await expect(compiling).rejects.toThrow(/exactly one of `client`/);
    }
  });

  it('isGlobal makes its tokens injectable in modules that do not import it', async () => {
    @Injectable()
    class Feature {
      constructor(@Inject(KNOXCALL_CLIENT) readonly knox: KnoxCall) {}
    }
    @Module({ providers: [Feature], exports: [Feature] })
    class FeatureModule {}
    const client = new KnoxCall({ baseUrl: emulator.url, apiKey: emulator.credentials.apiKey });
    const moduleRef = await Test.createTestingModule({ imports: [KnoxCallModule.forRoot({ client, isGlobal: true }), FeatureModule] }).compile();
    expect(moduleRef.get(Feature).knox).toBe(client);
    await expect(Test.createTestingModule({ imports: [KnoxCallModule.forRoot({ client }), FeatureModule] }).compile()).rejects.toThrow(
      /can't resolve dependencies of the Feature/,
    );
    await client.close();
  });

  it('needs no emitted decorator metadata (these tests are compiled without it)', () => {
    // Everything above injected by explicit tokens; prove the test build emitted no metadata.
    expect(Reflect.getMetadata('design:paramtypes', UsesClient)).toBeUndefined();
  });
});
