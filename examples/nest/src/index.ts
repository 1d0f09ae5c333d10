export { AppModule, type AppModuleOptions } from './app.module.js';
export { type RunningExample, type StartOptions, startServer } from './nest-server.js';
