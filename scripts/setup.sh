#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian machine with Node 20: Debian packages,
# pnpm (pinned in package.json's packageManager), the workspace's packages from the lockfile, and a
# one-node Slurm. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages, installed only when missing: python3-sentencepiece is the reference the token-count
# test compares our SentencePiece encoder with (packages/stats/test/tokens.test.ts); chromium renders
# the report in its test; fonts-ipafont-gothic gives it (and any headless browser on the node) a
# Japanese font, without which kana and kanji render as boxes. IPA Gothic rather than fonts-noto-cjk:
# 3.5 MB to download and 12 MB installed against 57 MB and 91 MB, and one face is all the report needs.
# bzip2 decompresses Wikipedia dumps for wiki-ja (packages/crawler/src/mediawiki/bz2.ts). libdeflate0
# decodes WARC gzip members ~30 % cheaper than zlib (packages/crawler/src/warc/libdeflate.ts; without it
# the reader falls back to zlib, same records, slower).
# apt-get update runs only when something must be installed.
apt_missing=()
for pkg in python3-sentencepiece chromium fonts-ipafont-gothic bzip2 libdeflate0; do
  dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed' || apt_missing+=("$pkg")
done
if [ "${#apt_missing[@]}" -gt 0 ]; then
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_missing[@]}"
fi

want_pnpm=$(node -p "require('./package.json').packageManager.split('@')[1]")
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$want_pnpm" ]; then
  # corepack is the usual route, but it needs a writable global folder and a prompt-free download;
  # npm's global install works everywhere the npm registry is reachable.
  npm install -g --no-fund --no-audit "pnpm@${want_pnpm}" >/dev/null
fi

pnpm install --frozen-lockfile --reporter=append-only

# A one-node Slurm on this machine (slurm-wlm + munge, daemons started without systemd): the Slurm
# executor's tests run against it, and `--executor slurm` can be tried locally. JCP_NO_SLURM=1 skips it
# (for machines that use a real cluster's Slurm instead). See docs/slurm-local.md.
if [ "${JCP_NO_SLURM:-0}" != "1" ]; then
  bash scripts/slurm-setup.sh
fi
