import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { KnoxCallClientHolder } from './client-holder.js';
import type { KnoxHttpRequest } from './module-options.js';
import { requestStateFor, runInRequestScope } from './request-scope.js';
import { KNOXCALL_CLIENT_HOLDER } from './tokens.js';

/**
 * Installed by the module as an APP_INTERCEPTOR: it runs each HTTP handler inside the
 * request's scope, so `getKnox()` works in any service the handler calls — on Express and
 * on Fastify alike (a middleware cannot do that on Fastify, whose body parsing between
 * middleware and handler leaves the middleware's async context). The state is cheap to
 * create; the view itself is built only when something asks for it.
 */
@Injectable()
export class KnoxCallInterceptor implements NestInterceptor {
  constructor(@Inject(KNOXCALL_CLIENT_HOLDER) private readonly holder: KnoxCallClientHolder) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const state = requestStateFor(http.getRequest<KnoxHttpRequest>(), this.holder, http.getResponse<unknown>());
    // Nest binds the handler's execution to the async context in which handle() is called.
    return runInRequestScope(state, () => next.handle());
  }
}
