import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { KnoxCall, isKnoxCall } from '@knoxcall/core';
import { assertOneClientSource } from '@knoxcall/core/adapter';
import type { KnoxCallModuleOptions } from './module-options.js';
import type { RequestScopeConfig } from './request-scope.js';
import { KNOXCALL_MODULE_OPTIONS } from './tokens.js';

/**
 * Holds the module's client: the one the app passed (`client`, never closed here) or one
 * built from `clientOptions` (closed when the application shuts down). Options are checked
 * here, once, so a misconfigured module fails at boot.
 */
@Injectable()
export class KnoxCallClientHolder implements RequestScopeConfig, OnApplicationShutdown {
  readonly client: KnoxCall;
  readonly requestOptions: KnoxCallModuleOptions['requestOptions'];
  private readonly owned: boolean;

  constructor(@Inject(KNOXCALL_MODULE_OPTIONS) options: KnoxCallModuleOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError('KnoxCallModule: the options must be an object with `client` or `clientOptions`');
    }
    assertOneClientSource(options, 'KnoxCallModule');
    if (options.client !== undefined && !isKnoxCall(options.client)) {
      throw new TypeError('KnoxCallModule: `client` must be a KnoxCall instance from @knoxcall/core');
    }
    if (options.requestOptions !== undefined && typeof options.requestOptions !== 'function') {
      throw new TypeError('KnoxCallModule: `requestOptions` must be a function (req) => { headers?, environment?, timeout? }');
    }
    this.owned = options.client === undefined;
    this.client = options.client ?? new KnoxCall(options.clientOptions);
    this.requestOptions = options.requestOptions;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.owned) await this.client.close();
  }
}
