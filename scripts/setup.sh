#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian machine with Node 20: pnpm (pinned in
# package.json's packageManager), then the workspace's packages from the lockfile. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

want_pnpm=$(node -p "require('./package.json').packageManager.split('@')[1]")
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$want_pnpm" ]; then
  # corepack is the usual route, but it needs a writable global folder and a prompt-free download;
  # npm's global install works everywhere the npm registry is reachable.
  npm install -g --no-fund --no-audit "pnpm@${want_pnpm}" >/dev/null
fi

pnpm install --frozen-lockfile --reporter=append-only
