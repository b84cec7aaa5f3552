#!/usr/bin/env bash
# Install (once) Node >= 24 and the pinned n8n used by scripts/start.sh and scripts/e2e.sh, then print versions.
# Idempotent: a second run returns in about a second. Useful as a CI cache-warming step.
# Knobs: see scripts/n8n-env.sh (N8N_VERSION, N8N_CACHE_DIR, ...).
set -euo pipefail
t0=$(date +%s)
source "$(dirname "${BASH_SOURCE[0]}")/n8n-env.sh"
echo "node $(node -v) ($NODE_BIN)"
echo "n8n  $("$N8N_BIN" --version | tail -1) ($N8N_BIN)"
echo "cache $N8N_CACHE_DIR  ($(( $(date +%s) - t0 )) s)"
