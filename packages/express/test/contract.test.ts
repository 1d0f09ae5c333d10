import { runAdapterContract } from '@knoxcall/adapter-contract';
import express5 from 'express';
import express4 from 'express4';
import { type ExpressModule, expressAdapter } from './contract-app.js';

runAdapterContract(expressAdapter('express 5', express5 as unknown as ExpressModule));
runAdapterContract(expressAdapter('express 4', express4 as unknown as ExpressModule));
