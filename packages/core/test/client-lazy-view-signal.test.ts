import { describe, expect, it } from 'vitest';
import { scopedClientOptions } from '../src/adapter/index.js';
import { APIUserAbortError } from '../src/index.js';
import { useEchoRouteClient } from './client-test-support.js';

// Adapters give a request's view its "the HTTP client went away" signal as a factory
// (scopedClientOptions(headers, custom, () => signal)): the view makes it on its first call,
// so requests whose view sends nothing never build an AbortController and a 'close'
// listener. These tests pin what adapters rely on, against the emulator over HTTP: the
// factory is not called until a call is sent, is called once per view, and the signal it
// makes aborts the view's calls — including a signal already aborted when it is made.

const echo = useEchoRouteClient();

/** A factory that counts its calls and hands out `controller`'s signal. */
function countingFactory(controller = new AbortController()) {
  const factory = Object.assign(
    () => {
      factory.calls++;
      return controller.signal;
    },
    { calls: 0, controller },
  );
  return factory;
}

const routeListings = () => echo.emu.requests().filter((r) => r.method === 'GET' && r.path === '/v1/routes');

describe('a view with a lazy disconnect signal', () => {
  it('never calls the factory while no request is sent, then once for all calls of the view and its child views', async () => {
    const factory = countingFactory();
    const view = echo.client.withOptions(scopedClientOptions({ 'x-request-id': 'rid-lazy' }, undefined, factory));
    // Everything short of sending a request: resources, bound routes, child views, fields.
    expect(typeof view.routes.list).toBe('function');
    view.route('echo');
    const child = view.withOptions({ headers: { 'x-child': '1' }, environment: 'staging', timeout: 5_000 });
    expect(typeof child.secrets).toBe('object');
    expect(view.environment).toBe(echo.client.environment);
    expect(factory.calls).toBe(0);

    await view.routes.list();
    expect(factory.calls).toBe(1);
    await view.routes.list();
    await child.routes.list();
    await view.call('echo', { path: '/ping' });
    expect(factory.calls).toBe(1);
    expect(routeListings().map((r) => r.headers['x-request-id'])).toEqual(['rid-lazy', 'rid-lazy', 'rid-lazy']);
    expect(routeListings()[2]!.headers['x-child']).toBe('1');
  });

  it('aborts a management call in flight when the signal it made aborts', async () => {
    echo.emu.script('GET', '/v1/routes', [{ delayMs: 5_000 }]);
    const factory = countingFactory();
    const view = echo.client.withOptions(scopedClientOptions({}, undefined, factory));
    const started = Date.now();
    const pending = view.routes.list();
    setTimeout(() => factory.controller.abort(new Error('the client disconnected')), 50);
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('aborts a data-plane call through a child view when the parent view signal aborts', async () => {
    echo.upstream.handle('/hang', () => {}); // never answers
    const factory = countingFactory();
    const child = echo.client.withOptions(scopedClientOptions({}, undefined, factory)).withOptions({ headers: { 'x-child': '1' } });
    expect(factory.calls).toBe(0);
    const pending = child.call('echo', { path: '/hang' });
    setTimeout(() => factory.controller.abort(new Error('the client disconnected')), 50);
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    expect(factory.calls).toBe(1);
  });

  it("fails the first call at once, sending nothing, when the factory's signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error('the client disconnected before the response was sent'));
    const factory = countingFactory(controller);
    const view = echo.client.withOptions(scopedClientOptions({}, undefined, factory));
    await expect(view.routes.list()).rejects.toBeInstanceOf(APIUserAbortError);
    await expect(view.call('echo', { path: '/ping' })).rejects.toBeInstanceOf(APIUserAbortError);
    expect(routeListings()).toHaveLength(0);
    expect(echo.upstream.requests.filter((r) => r.url === '/ping')).toHaveLength(0);
  });

  it("also follows a child view's own signal, and the child's own factory, without making the parent's early", async () => {
    echo.emu.script('GET', '/v1/routes', [{ delayMs: 5_000 }, { delayMs: 5_000 }]);
    const parentFactory = countingFactory();
    const parent = echo.client.withOptions(scopedClientOptions({}, undefined, parentFactory));
    const own = new AbortController();
    const withOwnSignal = parent.withOptions({ signal: own.signal });
    const childFactory = countingFactory();
    const withOwnFactory = parent.withOptions(scopedClientOptions({}, undefined, childFactory));
    expect([parentFactory.calls, childFactory.calls]).toEqual([0, 0]);

    const first = withOwnSignal.routes.list();
    setTimeout(() => own.abort(), 50);
    await expect(first).rejects.toBeInstanceOf(APIUserAbortError);
    expect(parentFactory.calls).toBe(1);

    const second = withOwnFactory.routes.list();
    setTimeout(() => childFactory.controller.abort(), 50);
    await expect(second).rejects.toBeInstanceOf(APIUserAbortError);
    expect([parentFactory.calls, childFactory.calls]).toEqual([1, 1]);
    expect(parentFactory.controller.signal.aborted).toBe(false);
  });

  it('keeps the public withOptions({ signal }) as it was: the signal itself, made by the caller', async () => {
    const controller = new AbortController();
    controller.abort();
    const view = echo.client.withOptions({ signal: controller.signal });
    await expect(view.routes.list()).rejects.toBeInstanceOf(APIUserAbortError);
    expect(scopedClientOptions({}, undefined, controller.signal)).toEqual({ signal: controller.signal });
  });
});
