export { type ExampleAppOptions, createApp } from './app.js';
export { type RunningExample, type StartOptions, startServer } from './node-server.js';
