import type { KnoxCall } from '@knoxcall/core';
import type { KnoxWebhookEvent, RequestWebhookEvent } from '@knoxcall/core/webhooks';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';
import { type KnoxWebhookOptions, type KnoxWebhookRequest, knoxCall, knoxWebhook } from '../src/index.js';

// Checked by `tsc` (the package typecheck) as much as by vitest: these fail to compile when
// the module augmentation or the option types regress.
describe('types', () => {
  it('augments FastifyInstance and FastifyRequest', () => {
    expectTypeOf<FastifyInstance['knox']>().toEqualTypeOf<KnoxCall>();
    expectTypeOf<FastifyRequest['knox']>().toEqualTypeOf<KnoxCall>();
    expectTypeOf<FastifyRequest['knoxEvent']>().toEqualTypeOf<KnoxWebhookEvent | undefined>();
    expectTypeOf<KnoxWebhookRequest['knoxEvent']>().toExtend<KnoxWebhookEvent>();
  });

  it('types the on handlers per event and the route handler’s request', () => {
    const options: KnoxWebhookOptions = {
      path: '/webhooks/knoxcall',
      secret: (request) => String(request.headers['x-tenant']),
      on: {
        'request.success': (event, request, reply) => {
          expectTypeOf(event).toEqualTypeOf<RequestWebhookEvent<'request.success'>>();
          expectTypeOf(request).toEqualTypeOf<FastifyRequest>();
          expectTypeOf(reply.code).toBeFunction();
        },
      },
      handler: (request) => {
        expectTypeOf(request.knoxEvent.event).toBeString();
        return { ok: true };
      },
    };
    const app = Fastify();
    void app.register(knoxWebhook, options);
    void app.register(knoxCall, { client: undefined as unknown as KnoxCall, requestOptions: (request) => ({ headers: { 'x-id': request.id } }) });
    // @ts-expect-error: path is required
    void app.register(knoxWebhook, { secret: 's', on: {} });
  });
});
