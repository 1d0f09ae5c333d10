import { knoxProject } from '../../vitest.shared.js';

export default knoxProject('nest');
