import { type ArgumentsHost, Catch, type HttpServer, Inject, Optional } from '@nestjs/common';
import { BaseExceptionFilter, HttpAdapterHost } from '@nestjs/core';
import { type KnoxErrorResponse, knoxErrorToResponse } from '@knoxcall/core/adapter';

/**
 * Answers KnoxCall failures from your handlers with core's `knoxErrorToResponse`: a
 * rejected credential or a KnoxCall outage becomes 502/503/504, a 404, 409 or 422 passes
 * through, always as `{ error: { type, message, request_id } }` and with `Retry-After` when
 * KnoxCall gave one. Anything else goes to Nest's own handling (BaseExceptionFilter).
 *
 * Register it globally, either `{ provide: APP_FILTER, useClass: KnoxCallExceptionFilter }`
 * or `app.useGlobalFilters(new KnoxCallExceptionFilter(app.get(HttpAdapterHost)))`, or per
 * controller with `@UseFilters(KnoxCallExceptionFilter)`.
 */
@Catch()
export class KnoxCallExceptionFilter extends BaseExceptionFilter {
  constructor(@Optional() @Inject(HttpAdapterHost) adapterHost?: HttpAdapterHost | HttpServer) {
    const isHost = adapterHost instanceof HttpAdapterHost;
    super(isHost || adapterHost === undefined ? undefined : adapterHost);
    if (isHost) (this as unknown as { httpAdapterHost: HttpAdapterHost }).httpAdapterHost = adapterHost;
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    const mapped: KnoxErrorResponse | undefined = host.getType() === 'http' ? knoxErrorToResponse(exception) : undefined;
    if (mapped === undefined) {
      super.catch(exception, host);
      return;
    }
    const adapter = this.applicationRef ?? this.httpAdapterHost?.httpAdapter;
    if (adapter === undefined) {
      throw new TypeError('KnoxCallExceptionFilter: no HTTP adapter — register it with APP_FILTER, or pass app.get(HttpAdapterHost) to its constructor');
    }
    const response = host.switchToHttp().getResponse<unknown>();
    if (adapter.isHeadersSent(response)) {
      adapter.end(response);
      return;
    }
    for (const [name, value] of Object.entries(mapped.headers)) adapter.setHeader(response, name, value);
    adapter.reply(response, mapped.body, mapped.status);
  }
}
