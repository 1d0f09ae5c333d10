import { runAdversarialSuite } from '@knoxcall/adapter-contract/adversarial';
import express5 from 'express';
import express4 from 'express4';
import { type ExpressModule, expressAdapter } from './contract-app.js';

runAdversarialSuite(expressAdapter('express 5', express5 as unknown as ExpressModule));
// The other supported major, with fewer mutations: the same code over Express 4's request handling.
runAdversarialSuite(expressAdapter('express 4', express4 as unknown as ExpressModule), { mutations: 2000 });
