import type { RouteRegistration } from '../router.js';
import { accountRoutes } from './account.js';
import { agentRoutes } from './agents.js';
import { apiKeyRoutes } from './api-keys.js';
import { auditLogRoutes } from './audit-logs.js';
import { clientRoutes } from './clients.js';
import { cryptoRoutes } from './crypto.js';
import { dynamicDbRoutes } from './dynamic-db.js';
import { environmentRoutes } from './environments.js';
import { extendedRoutes } from './extended/index.js';
import { oauthClientRoutes } from './oauth-clients.js';
import { pkiRoutes } from './pki.js';
import { routeRoutes } from './routes.js';
import { secretRoutes } from './secrets.js';
import { signupRoutes } from './signup.js';
import { vaultRoutes } from './vaults.js';
import { webhookRoutes } from './webhooks.js';
import { workloadIdentityRoutes } from './workload-identity.js';

/** Every management endpoint the emulator serves: the core families plus the extended tier. */
export const allRoutes: RouteRegistration[] = [
  ...accountRoutes,
  ...routeRoutes,
  ...secretRoutes,
  ...webhookRoutes,
  ...clientRoutes,
  ...oauthClientRoutes,
  ...environmentRoutes,
  ...apiKeyRoutes,
  ...auditLogRoutes,
  ...agentRoutes,
  ...cryptoRoutes,
  ...pkiRoutes,
  ...vaultRoutes,
  ...dynamicDbRoutes,
  ...signupRoutes,
  ...extendedRoutes,
  ...workloadIdentityRoutes,
];
