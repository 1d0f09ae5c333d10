export { VERSION } from './version.js';
export * from './errors.js';
