// The KnoxCall delivery the webhook benches send: one `request.success` event, stamped now,
// pretty-printed as KnoxCall sends it.
import { createHmac } from 'node:crypto';

export function deliveryBody() {
  return JSON.stringify(
    {
      event: 'request.success',
      timestamp: new Date().toISOString(),
      webhook_id: 'wh_123',
      webhook_name: 'orders-hook',
      data: {
        route_id: 'r_1',
        route_name: 'orders',
        environment: 'production',
        request: { method: 'POST', path: '/v1/orders', ip: '203.0.113.9' },
        response: { status: 201, latency_ms: 42 },
      },
    },
    null,
    2,
  );
}

/** The POST of `body` to /webhooks/knoxcall, signed in the legacy format (`x-webhook-signature: sha256=<hex>`). */
export function signedDelivery(body, secret) {
  return {
    method: 'POST',
    path: '/webhooks/knoxcall',
    body,
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'x-webhook-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
  };
}
