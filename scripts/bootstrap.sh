#!/bin/sh
# Makes a machine that has only Node.js 20.19+ and npm ready to build and test this repo:
# pnpm (the version pinned in package.json's packageManager) through corepack, then the
# workspace's dependencies from the lockfile.
set -eu
cd "$(dirname "$0")/.."

export COREPACK_ENABLE_DOWNLOAD_PROMPT=0

if ! command -v corepack >/dev/null 2>&1; then
  # Node 25+ no longer bundles corepack.
  npm install --global corepack@latest
fi
corepack enable pnpm

if ! pnpm --version >/dev/null 2>&1; then
  # Some registry mirrors serve package metadata without npm's signatures, which corepack
  # refuses by default. The tarball's integrity hash is still checked.
  echo "bootstrap: corepack could not verify pnpm's registry signature; retrying without it" >&2
  COREPACK_INTEGRITY_KEYS=0 pnpm --version >/dev/null
fi

if [ "${CI:-}" = "true" ]; then
  pnpm install --frozen-lockfile
else
  pnpm install
fi
