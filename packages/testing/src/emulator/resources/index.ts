import type { RouteRegistration } from '../router.js';
import { accountRoutes } from './account.js';
import { extendedRoutes } from './extended/index.js';
import { routeRoutes } from './routes.js';
import { signupRoutes } from './signup.js';

/** Every management endpoint the emulator serves: the core families plus the extended tier. */
export const allRoutes: RouteRegistration[] = [...accountRoutes, ...routeRoutes, ...signupRoutes, ...extendedRoutes];
