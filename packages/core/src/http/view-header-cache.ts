import type { HeaderBag } from './headers.js';

/** The key of a client or view without header defaults of its own. */
const NO_VIEW_HEADERS: HeaderBag = {};

/**
 * Header bags built once per client configuration and view header bag, for the calls that
 * bring no headers of their own: every such call of a client or view starts from the same
 * bag, so it is copied per call instead of merged and defaulted again. Both keys are held
 * weakly, so a dropped client or view takes its entries with it. What `get` returns is
 * shared: callers copy it before writing.
 */
export class ViewHeaderCache {
  readonly #byConfig = new WeakMap<object, WeakMap<HeaderBag, HeaderBag>>();

  get<C>(config: object, viewHeaders: HeaderBag | undefined, build: (context: C, viewHeaders: HeaderBag | undefined) => HeaderBag, context: C): HeaderBag {
    let perView = this.#byConfig.get(config);
    if (perView === undefined) {
      perView = new WeakMap();
      this.#byConfig.set(config, perView);
    }
    const key = viewHeaders ?? NO_VIEW_HEADERS;
    let bag = perView.get(key);
    if (bag === undefined) {
      bag = build(context, viewHeaders);
      perView.set(key, bag);
    }
    return bag;
  }
}
