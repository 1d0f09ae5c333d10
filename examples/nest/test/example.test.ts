import { describeExample } from '../../test-support/example-cases.js';
import { startServer } from '../src/index.js';
import { configFromEnv, hasKnoxCallCredentials } from '../src/config.js';
import { startLocalKnoxCall } from '../src/local-knoxcall.js';

// The cases every example shares (see examples/test-support/example-cases.ts); this example
// signs its webhook deliveries in the 'slack' format, and every app it starts keeps Nest's
// startup logging quiet.
describeExample({
  format: 'slack',
  startServer: (options) => startServer({ ...options, quiet: true }),
  configFromEnv,
  hasKnoxCallCredentials,
  startLocalKnoxCall,
});
