import { AsyncLocalStorage } from 'node:async_hooks';
import type { RoutedContext, WrapNodeSupport } from '../wrap/node-support.js';
import { nodeHttpStack } from './wrap-http-stack.js';

const routedScope = new AsyncLocalStorage<true>();

const routedContext: RoutedContext = {
  run: (fn) => routedScope.run(true, fn),
  inside: () => routedScope.getStore() === true,
};

/** The Node-only parts of `wrap.intercept()` (registered by the Node entry). */
export const wrapNodeSupport: WrapNodeSupport = { httpStack: nodeHttpStack, routedContext };
