// The measuring half shared by the Express and Fastify webhook benches: the app process (forked
// from the bench file with the argument `server`) serves knoxWebhook on `ports.knox` and the
// hand-written route on `ports.baseline`; short rounds alternate between them and each ratio
// is taken within a round. Prints the figures and the BENCH_RESULT line.
import { forkBenchServer } from './bench-server.mjs';
import { benchRow, formatFigure, printBenchResult, verdict } from './bench-result.mjs';
import { checkAndWarmUp } from './http-load.mjs';
import { serverRounds } from './server-rounds.mjs';
import { median, perRound, ratio } from './stats.mjs';
import { deliveryBody, signedDelivery } from './webhook-delivery.mjs';

/**
 * @param {{ benchUrl: string, framework: string, baselineName: string, secret: string,
 *   target: number, rounds: number, requests: number, concurrency: number }} setup
 */
export async function compareWithHandWritten({ benchUrl, framework, baselineName, secret, target, rounds, requests, concurrency }) {
  const { child, ready: ports } = await forkBenchServer(benchUrl, ['server']);
  // Stamped and signed afresh for every round: both routes refuse a delivery whose envelope
  // timestamp is over 300 s old, and a long run on a loaded machine outlasts that window.
  const delivery = () => signedDelivery(deliveryBody(), secret);
  try {
    for (const port of [ports.knox, ports.baseline]) {
      await checkAndWarmUp(port, delivery(), { what: `app on port ${port}`, warmUp: 500, concurrency });
    }
    const sides = { knox: { child, port: ports.knox, request: delivery }, baseline: { child, port: ports.baseline, request: delivery } };
    const { knox, baseline } = await serverRounds({ sides, rounds, requests, concurrency });
    const cpuMicros = { subject: median(knox.cpuUs), baseline: median(baseline.cpuUs) };
    // By server CPU: requests per CPU-second of knoxWebhook over the hand-written app's, i.e.
    // hand-written µs / knoxWebhook µs per request, within each round.
    const byCpu = benchRow({
      label: 'knoxWebhook / hand-written (server CPU)',
      rounds: perRound(baseline.cpuUs, knox.cpuUs, ratio),
      unit: 'x',
      cpuMicros,
      target: { atLeast: target },
    });
    const byWall = benchRow({ label: 'knoxWebhook / hand-written (req/s)', rounds: perRound(knox.rate, baseline.rate, ratio), unit: 'x', cpuMicros });
    console.log(
      `${framework} webhook (medians of ${rounds} alternating rounds x ${requests} requests, concurrency ${concurrency}):\n` +
        `  knoxWebhook              ${median(knox.rate).toFixed(0)} req/s wall, ${cpuMicros.subject.toFixed(1)} µs server CPU per request\n` +
        `  ${baselineName.padEnd(24)} ${median(baseline.rate).toFixed(0)} req/s wall, ${cpuMicros.baseline.toFixed(1)} µs server CPU per request`,
    );
    console.log(
      `${framework} webhook ratio (knoxWebhook / hand-written), median [p10–p90] of rounds: ${formatFigure(byCpu)} by server CPU time (target ${byCpu.target}: ${verdict(byCpu)}), ${formatFigure(byWall)} by req/s`,
    );
    printBenchResult(`${framework} knoxWebhook vs hand-written`, [byCpu, byWall]);
  } finally {
    child.kill();
  }
}
