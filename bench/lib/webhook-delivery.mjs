// The KnoxCall delivery the webhook benches send (see delivery-body.mjs), and how the
// over-HTTP benches sign it.
import { createHmac } from 'node:crypto';

export { deliveryBody } from './delivery-body.mjs';

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
