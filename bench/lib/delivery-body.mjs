// The KnoxCall delivery the webhook benches send: one `request.success` event, stamped now,
// pretty-printed as KnoxCall sends it. Its own module, free of node: imports, because the
// runtime benches bundle it into a Worker.

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
