import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fetchRuntimes } from '../../../scripts/runtimes.mjs';
import { DeadlineTarget, SharedDeadlines, timersCanUnref } from '../src/transport/shared-deadlines.js';

/** A target that records when (performance.now()) it expired. */
class Recorder extends DeadlineTarget {
  expiredAt: number | undefined;
  expiries = 0;
  constructor(private readonly onExpire?: () => void) {
    super();
  }
  expire(): void {
    this.expiries += 1;
    this.expiredAt = performance.now();
    this.onExpire?.();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SharedDeadlines: one timer for many attempt deadlines', () => {
  it('expires each target once its own duration has elapsed, not before', async () => {
    const deadlines = new SharedDeadlines();
    const started = performance.now();
    const long = new Recorder();
    const short = new Recorder();
    const middle = new Recorder();
    // Registered out of order: a later, shorter deadline must re-arm the timer earlier.
    deadlines.register(long, 120);
    deadlines.register(short, 20);
    deadlines.register(middle, 60);
    await sleep(200);
    for (const [target, ms] of [
      [short, 20],
      [middle, 60],
      [long, 120],
    ] as const) {
      expect(target.expiries).toBe(1);
      expect((target.expiredAt as number) - started).toBeGreaterThanOrEqual(ms);
    }
    expect(short.expiredAt as number).toBeLessThan(middle.expiredAt as number);
    expect(middle.expiredAt as number).toBeLessThan(long.expiredAt as number);
  });

  it('never expires a cleared target, and keeps expiring the others of its duration', async () => {
    const deadlines = new SharedDeadlines();
    const first = new Recorder();
    const cleared = new Recorder();
    const last = new Recorder();
    deadlines.register(first, 30);
    deadlines.register(cleared, 30);
    deadlines.register(last, 30);
    deadlines.clear(cleared);
    deadlines.clear(cleared); // twice is harmless
    await sleep(90);
    expect(first.expiries).toBe(1);
    expect(cleared.expiries).toBe(0);
    expect(last.expiries).toBe(1);
    deadlines.clear(first); // after expiry: nothing to do
    expect(first.expiries).toBe(1);
  });

  it('when the target it was armed for is cleared, still expires a later one on time (re-arming)', async () => {
    const deadlines = new SharedDeadlines();
    const started = performance.now();
    const early = new Recorder();
    deadlines.register(early, 20);
    deadlines.clear(early);
    const late = new Recorder();
    deadlines.register(late, 70);
    await sleep(40);
    expect(late.expiries).toBe(0);
    await sleep(80);
    expect(early.expiries).toBe(0);
    expect(late.expiries).toBe(1);
    expect((late.expiredAt as number) - started).toBeGreaterThanOrEqual(70);
  });

  it('a target registered again after it expired gets a new deadline', async () => {
    const deadlines = new SharedDeadlines();
    const target = new Recorder();
    deadlines.register(target, 10);
    await sleep(40);
    expect(target.expiries).toBe(1);
    deadlines.register(target, 10);
    await sleep(40);
    expect(target.expiries).toBe(2);
  });

  it('an expiry that clears another due target of the same firing keeps that one from expiring', async () => {
    const deadlines = new SharedDeadlines();
    const second = new Recorder();
    const first = new Recorder(() => deadlines.clear(second));
    deadlines.register(first, 15);
    deadlines.register(second, 15);
    await sleep(60);
    expect(first.expiries).toBe(1);
    expect(second.expiries).toBe(0);
  });

  it('is used on Node: its timers can be unref’d', () => {
    expect(timersCanUnref()).toBe(true);
  });
});

describe('SharedDeadlines and the process lifetime', () => {
  // The old per-attempt timer held the process open while its attempt was pending, and a
  // finished attempt let it exit at once. The shared timer must do both.
  // Node 24 runs the TypeScript source as is (type stripping).
  const child = fileURLToPath(new URL('./fixtures/shared-deadlines-lifetime.mjs', import.meta.url));
  const run = (scenario: string) => spawnSync(fetchRuntimes({ quiet: true }).node24, ['--no-warnings', child, scenario], { encoding: 'utf8', timeout: 20_000 });

  it('a registered deadline holds the process open until it expires', () => {
    const result = run('pending');
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('expired');
  });

  it('once every deadline is cleared the process exits at once, though the timer is still armed for 60 s', () => {
    const started = Date.now();
    const result = run('cleared');
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('cleared');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
