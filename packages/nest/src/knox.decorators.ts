import { type ExecutionContext, Inject, createParamDecorator } from '@nestjs/common';
import { KnoxCallError } from '@knoxcall/core';
import type { KnoxHttpRequest } from './module-options.js';
import { requestView } from './request-scope.js';
import { KNOXCALL_CLIENT } from './tokens.js';

/** Injects the module's shared client: `constructor(@InjectKnoxCall() private readonly knox: KnoxCall)`. */
export function InjectKnoxCall(): PropertyDecorator & ParameterDecorator {
  return Inject(KNOXCALL_CLIENT);
}

/**
 * A handler parameter receiving the request's KnoxCall view:
 * `list(@Knox() knox: KnoxCall) { return knox.routes.list() }`. The view carries the
 * request's forwarded `traceparent` / `x-request-id` and what `requestOptions(req)` returned.
 */
export const Knox: () => ParameterDecorator = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const http = context.switchToHttp();
  const view = requestView(http.getRequest<KnoxHttpRequest>(), http.getResponse<unknown>());
  if (view === undefined) {
    throw new KnoxCallError(
      '@Knox(): no KnoxCall client on this request — import KnoxCallModule.forRoot(...) (or forRootAsync) in the module tree of this controller',
      { code: 'knox_middleware_missing' },
    );
  }
  return view;
});
