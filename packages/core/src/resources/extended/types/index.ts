export type * from './ai-gateway.js';
export type * from './logs.js';
export type * from './opportunities.js';
export type * from './roles.js';
export type * from './workflows.js';
