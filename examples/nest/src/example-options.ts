import type { KnoxWebhookEvent } from '@knoxcall/core';

/** Injection token of the example's own settings (a symbol: no decorator metadata needed). */
export const EXAMPLE_OPTIONS = Symbol.for('knoxcall.example.options');

export interface ExampleOptions {
  /** The KnoxCall route `GET /api/hello` calls. */
  route: string;
  /** Called with every verified webhook event (the demo and the tests watch deliveries with it). */
  onEvent?: (event: KnoxWebhookEvent) => void;
}
