import type { EmulatorState } from '../../../state.js';
import { type EgressObservationRow, wrapStore } from './store.js';

/** What tests read and steer of the emulated `wrap` state (`emulator.wrap`). */
export interface EmulatorWrap {
  /** Every egress observation SDKs reported, in arrival order (copies). */
  observations(): EgressObservationRow[];
  /** The `ttl_seconds` the intercept manifest announces (default 60). */
  setManifestTtl(seconds: number): void;
}

/** `state()` because `reset()` replaces the tenant state. */
export function emulatorWrap(state: () => EmulatorState): EmulatorWrap {
  return {
    observations: () => wrapStore(state()).observations.map((o) => ({ ...o })),
    setManifestTtl: (seconds) => {
      wrapStore(state()).manifestTtlSeconds = seconds;
    },
  };
}
