/** Interactive login for the Node build (never reachable from the Web build). */
export {
  ensureLogin,
  login,
  logout,
  storedLogin,
  type LoginMode,
  type LoginOptions,
  type LogoutResult,
  type StoredLogin,
} from './login.js';
export type { ProfileSelector } from './stored-profile.js';
