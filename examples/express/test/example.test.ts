import { startServer } from '../src/app.js';
import { configFromEnv, hasKnoxCallCredentials } from '../src/config.js';
import { startLocalKnoxCall } from '../src/local-knoxcall.js';
import { describeExample } from '../../test-support/example-cases.js';

// The cases every example shares (see examples/test-support/example-cases.ts); this example
// signs its webhook deliveries in the 'legacy' format.
describeExample({ format: 'legacy', startServer, configFromEnv, hasKnoxCallCredentials, startLocalKnoxCall });
