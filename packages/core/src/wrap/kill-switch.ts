const OFF = new Set(['off', '0', 'false']);

/** True when an environment flag value turns a feature off (`off`, `0`, `false`, any case). */
export function flagIsOff(value: string | undefined): boolean {
  return value !== undefined && OFF.has(value.trim().toLowerCase());
}

/**
 * Whether `KNOXCALL_INTERCEPT` turns routing off: every wrapped or intercepted request then
 * goes straight to its destination. `env` defaults to `process.env` where there is one.
 */
export function interceptKillSwitch(env?: Readonly<Record<string, string | undefined>>): boolean {
  const source = env ?? (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return flagIsOff(source?.['KNOXCALL_INTERCEPT']);
}
