import { runAdapterContract } from '@knoxcall/adapter-contract';
import { honoAdapter } from './contract-app.js';

runAdapterContract(honoAdapter);
