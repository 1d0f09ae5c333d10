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
  // The HTTP arguments are [request, response, next]; switchToHttp() would allocate three
  // accessor closures on the context for every request to hand out the same two values.
  const view = requestView(context.getArgByIndex<KnoxHttpRequest>(0), context.getArgByIndex<unknown>(1));
  if (view === undefined) {
    throw new KnoxCallError(
      '@Knox(): no KnoxCall client on this request — import KnoxCallModule.forRoot(...) (or forRootAsync) in the module tree of this controller',
      { code: 'knox_middleware_missing' },
    );
  }
  return view;
});
