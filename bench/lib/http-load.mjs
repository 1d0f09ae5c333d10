// The HTTP load generator the framework benches share: keep-alive requests from this process
// to an app listening on 127.0.0.1, a fixed number in flight, every answer checked for 200.
import http from 'node:http';

/**
 * Sends one request and resolves with the status code once the body is read.
 * `request` is `{ method, path, headers?, body? }`.
 */
export function sendOnce(agent, port, request) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: request.path, method: request.method, headers: request.headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(request.body);
  });
}

/** Sends `total` requests with `concurrency` in flight over one keep-alive agent; resolves with requests per second. */
export async function loadRound(port, request, total, concurrency) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let sent = 0;
  const started = performance.now();
  const worker = async () => {
    while (sent < total) {
      sent++;
      const status = await sendOnce(agent, port, request);
      if (status !== 200) throw new Error(`unexpected status ${status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return total / seconds;
}

/** Checks that the app answers 200 (`what` names it in the error), then warms it up with `warmUp` requests. */
export async function checkAndWarmUp(port, request, { what, warmUp, concurrency }) {
  const status = await sendOnce(new http.Agent({ keepAlive: true }), port, request);
  if (status !== 200) throw new Error(`${what} answered ${status}, expected 200`);
  await loadRound(port, request, warmUp, concurrency);
}
