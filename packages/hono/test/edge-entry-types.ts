// The shape of the edge bundle imported in edge.test.ts (types only: the bundle is plain JS).
export { Hono } from 'hono';
export { knoxWebhook } from '../src/index.js';
