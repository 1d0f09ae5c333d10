import { knoxProject } from '../../vitest.shared.js';

// The tests start the real bin in child processes; a device-flow login polls at 1 s.
export default knoxProject('cli', { testTimeout: 30_000 });
