import { startServer } from '../src/index.js';
import { configFromEnv, hasKnoxCallCredentials } from '../src/config.js';
import { startLocalKnoxCall } from '../src/local-knoxcall.js';
import { describeExample } from '../../test-support/example-cases.js';

// The cases every example shares (see examples/test-support/example-cases.ts); this example
// signs its webhook deliveries in the 'github' format.
describeExample({ format: 'github', startServer, configFromEnv, hasKnoxCallCredentials, startLocalKnoxCall });
