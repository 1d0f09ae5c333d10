import { fileURLToPath } from 'node:url';
import { knoxProject } from '../../vitest.shared.js';

const project = knoxProject('nest-compat-11');

// @knoxcall/nest's sources live in packages/nest, whose own node_modules hold Nest 12. Every
// import of a Nest package — from these tests, from @knoxcall/nest and from the shared
// contract app in packages/nest/test — must reach THIS package's Nest 11, or the module
// would mix two majors (e.g. HttpException classes Nest 11's filters do not recognise).
const nest11 = (name: string) => fileURLToPath(new URL(`./node_modules/@nestjs/${name}`, import.meta.url));
project.resolve = {
  ...project.resolve,
  alias: ['common', 'core', 'platform-express', 'testing'].map((name) => ({
    find: new RegExp(`^@nestjs/${name}$`),
    replacement: nest11(name),
  })),
};

export default project;
