import { runSoak } from '@knoxcall/adapter-contract/adversarial';
import express5 from 'express';
import { type ExpressModule, expressAdapter } from './contract-app.js';

// `pnpm test:soak` only (not in CI): see vitest.soak.config.ts at the repository root.
runSoak(expressAdapter('express 5', express5 as unknown as ExpressModule));
