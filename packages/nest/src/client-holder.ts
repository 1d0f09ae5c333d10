import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { KnoxCall } from '@knoxcall/core';
import { assertClientOptions } from '@knoxcall/core/adapter';
import type { KnoxCallModuleOptions } from './module-options.js';
import { type RequestScopeConfig, registerServerConfig } from './request-scope.js';
import { KNOXCALL_MODULE_OPTIONS } from './tokens.js';

/**
 * Holds the module's client: the one the app passed (`client`, never closed here) or one
 * built from `clientOptions` (closed when the application shuts down). Options are checked
 * here, once, so a misconfigured module fails at boot.
 */
@Injectable()
export class KnoxCallClientHolder implements RequestScopeConfig, OnModuleInit, OnApplicationShutdown {
  readonly client: KnoxCall;
  readonly requestOptions: KnoxCallModuleOptions['requestOptions'];
  /** Whether requests run inside the AsyncLocalStorage scope behind `getKnox()`. */
  readonly asyncContext: boolean;
  private readonly owned: boolean;

  constructor(
    @Inject(KNOXCALL_MODULE_OPTIONS) options: KnoxCallModuleOptions,
    @Optional() @Inject(HttpAdapterHost) private readonly adapterHost?: HttpAdapterHost,
  ) {
    assertClientOptions(options, 'KnoxCallModule', 'req');
    if (options.asyncContext !== undefined && typeof options.asyncContext !== 'boolean') {
      throw new TypeError('KnoxCallModule: `asyncContext` must be true or false');
    }
    this.asyncContext = options.asyncContext !== false;
    this.owned = options.client === undefined;
    this.client = options.client ?? new KnoxCall(options.clientOptions);
    this.requestOptions = options.requestOptions;
  }

  /** The platform's adapter (undefined outside an HTTP application). */
  get httpAdapter(): { getInstance(): unknown; getType(): string } | undefined {
    return this.adapterHost?.httpAdapter ?? undefined;
  }

  /** Lets `@Knox()` find this configuration from a request's server when no middleware ran. */
  onModuleInit(): void {
    registerServerConfig(this.adapterHost?.httpAdapter?.getInstance(), this);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.owned) await this.client.close();
  }
}
