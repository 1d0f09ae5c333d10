import type { KnoxCall } from '@knoxcall/core';
import { Knox } from '@knoxcall/nest';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { EXAMPLE_OPTIONS, type ExampleOptions } from './example-options.js';

/** What this handler needs of the platform's response (Express's here; Fastify's reply has it too). */
interface StatusSettable {
  status(code: number): unknown;
}

@Controller()
export class HelloController {
  constructor(@Inject(EXAMPLE_OPTIONS) private readonly options: ExampleOptions) {}

  /**
   * Calls the upstream through the KnoxCall route with the request's KnoxCall view (it
   * forwards the caller's traceparent / x-request-id): KnoxCall injects the upstream's API
   * key, so this process never holds it.
   */
  @Get('api/hello')
  async hello(@Knox() knox: KnoxCall, @Res({ passthrough: true }) res: StatusSettable) {
    const upstream = await knox.call(this.options.route, { path: '/hello' });
    res.status(upstream.ok ? 200 : 502);
    return { route: this.options.route, upstream_status: upstream.status, upstream: await upstream.json().catch(() => null) };
  }

  @Get('health')
  health() {
    return { ok: true };
  }
}
