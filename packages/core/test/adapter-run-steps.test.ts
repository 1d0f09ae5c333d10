import { describe, expect, it } from 'vitest';
import { runSteps } from '../src/adapter/run-steps.js';

describe('runSteps: a generator run like an async function, without a promise while every step answers at once', () => {
  it('sends plain values straight back and returns the result itself', () => {
    const seen: unknown[] = [];
    const result = runSteps(
      (function* () {
        seen.push(yield 1, yield 'two');
        return 3;
      })(),
    );
    expect(result).toBe(3);
    expect(seen).toEqual([1, 'two']);
  });

  it('throws to the caller what is thrown before the first promise', () => {
    const steps = (function* (): Generator<unknown, never, unknown> {
      yield 1;
      throw new Error('early');
    })();
    expect(() => runSteps(steps)).toThrow('early');
  });

  it('from the first promise (or thenable) on, answers a promise: values arrive as with await, later plain values too', async () => {
    const seen: unknown[] = [];
    // biome-ignore lint/suspicious/noThenProperty: a thenable is what this case is about (await takes one too)
    const thenable = { then: (resolve: (value: string) => void) => resolve('thenable') };
    const result = runSteps(
      (function* () {
        seen.push(yield Promise.resolve('promised'), yield 'plain', yield thenable);
        return 'done';
      })(),
    );
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toBe('done');
    expect(seen).toEqual(['promised', 'plain', 'thenable']);
  });

  it('throws a rejection back in at its yield, where a try can catch it; an uncaught one rejects the result', async () => {
    const caught = runSteps(
      (function* () {
        try {
          yield Promise.reject(new Error('refused'));
          return 'not reached';
        } catch (error) {
          return `caught ${(error as Error).message}`;
        }
      })(),
    );
    expect(await caught).toBe('caught refused');

    const uncaught = runSteps(
      (function* () {
        yield Promise.resolve();
        throw new Error('late');
      })(),
    );
    await expect(uncaught).rejects.toThrow('late');
  });
});
