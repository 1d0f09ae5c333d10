import type { HeaderBag } from './headers.js';

/**
 * A writable copy of a header bag. A plain key loop: on Node 20 an object spread of these
 * hyphen-named records took ~1 µs against ~0.1 µs for this, and every call copies its
 * prebuilt base bag once per attempt.
 */
export function copyHeaderBag(bag: Readonly<HeaderBag>): HeaderBag {
  const out: HeaderBag = {};
  const names = Object.keys(bag);
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    out[name] = bag[name] as string;
  }
  return out;
}
