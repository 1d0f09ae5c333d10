import { runAdversarialSuite } from '@knoxcall/adapter-contract/adversarial';
import express5 from 'express';
import { type ExpressModule, expressAdapter } from './contract-app.js';

runAdversarialSuite(expressAdapter('express 5', express5 as unknown as ExpressModule));
