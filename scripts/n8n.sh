#!/usr/bin/env bash
# `npm run n8n -- <n8n CLI arguments>`: the n8n CLI of the local set-up `npm start` uses (the pinned n8n in
# ~/.cache/n8n-360dialog, on Node 24, with the same data folder and environment), for commands such as
#
#   npm run n8n -- import:credentials --input=workflows/credentials/360dialog-emulator.json
#   npm run n8n -- import:workflow --input=workflows/auto-reply-bot.json
#   npm run n8n -- --version
#
# scripts/n8n-env.sh installs Node 24 and n8n on first use (several minutes, ~3 GB) and exports the env.
# Relative paths are resolved from the repository root (npm runs scripts there).
# N8N_VERSION=1.123.81 npm run n8n -- ... uses the n8n 1.x install of `npm run test:e2e:n8n1` instead.
set -euo pipefail
# shellcheck source=scripts/n8n-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/n8n-env.sh"
# A CLI command next to a running `npm start` needs its own task-broker port (the default one is taken).
N8N_RUNNERS_BROKER_PORT=$(n8n_pick_free_port)
export N8N_RUNNERS_BROKER_PORT
exec "$N8N_BIN" "$@"
