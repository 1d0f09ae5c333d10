export declare const repoRoot: string;
export declare const cacheDir: string;
export declare const runtimes: {
  node20: string;
  node22: string;
  node24: string;
  bun: string;
  deno: string;
  workerd: string;
  miniflare: string;
};
export declare function fetchRuntimes(options?: { quiet?: boolean }): typeof runtimes;
