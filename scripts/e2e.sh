#!/usr/bin/env bash
# End-to-end tests against a REAL n8n (pinned, see scripts/n8n-env.sh). Usage:
#   bash scripts/e2e.sh                         # all test/e2e/**/*.e2e.ts
#   bash scripts/e2e.sh test/e2e/smoke.e2e.ts   # selected files
#
# What it does: Node >= 24 + n8n (installed once, outside the repo) -> npm run build -> npm pack -> install the
# tarball into a scratch `.n8n/nodes` like a user's install (types `n8n-nodes-360dialog.*`) -> run the files
# with node:test through tsx. Every N8n.fresh() in the tests gets its own user folder / SQLite DB / free ports.
#
# Knobs:
#   E2E_BUILD=0            skip `npm run build` (use the existing dist/)
#   E2E_PKG_DIR=<dir>      test another package directory (e.g. a stub) instead of this repo
#   E2E_KEEP=1             keep the scratch dir (user folders, server logs) and print its path
#   E2E_CONCURRENCY=<n>    test files run in parallel (default 1: each n8n process takes ~0.4-0.8 GB)
#   E2E_TEST_TIMEOUT=<ms>  per-test timeout (default 300000)
#   + everything in scripts/n8n-env.sh (N8N_CACHE_DIR, N8N_VERSION, ...)
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
t_start=$(date +%s)
source "$SCRIPT_DIR/n8n-env.sh"
TARGET_DIR=$(cd "${E2E_PKG_DIR:-$PKG_DIR}" && pwd)
TSX_CLI="$PKG_DIR/node_modules/tsx/dist/cli.mjs"
[ -f "$TSX_CLI" ] || { echo "e2e: $TSX_CLI missing: install the dev dependencies first (npm ci)" >&2; exit 1; }

if [ "${E2E_BUILD:-1}" != 0 ] && [ "$TARGET_DIR" = "$PKG_DIR" ]; then
  n8n_env_log "npm run build"
  (cd "$PKG_DIR" && npm run build --silent)
fi
[ -d "$TARGET_DIR/dist" ] || { echo "e2e: $TARGET_DIR/dist does not exist (build failed or skipped)" >&2; exit 1; }

E2E_WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/n8n-360dialog-e2e.XXXXXX")
# traversable (not listable) by other users: the queue-mode stack runs PostgreSQL as `postgres` inside it
chmod 711 "$E2E_WORK_DIR"
cleanup() {
  if [ "${E2E_KEEP:-0}" = 1 ]; then echo "e2e: kept $E2E_WORK_DIR" >&2; else rm -rf "$E2E_WORK_DIR"; fi
}
trap cleanup EXIT

# Install the package ONCE per run from its tarball into a template user folder; the tests copy its .n8n/nodes.
N8N_USER_FOLDER="$E2E_WORK_DIR/template" n8n_install_package pack "$TARGET_DIR"
export E2E_NODES_DIR="$E2E_WORK_DIR/template/.n8n/nodes" E2E_WORK_DIR
export E2E_PACKAGE_NAME
E2E_PACKAGE_NAME=$(node -p 'require(process.argv[1]).name' "$TARGET_DIR/package.json")
unset N8N_USER_FOLDER N8N_PORT N8N_RUNNERS_BROKER_PORT WEBHOOK_URL N8N_EDITOR_BASE_URL   # chosen per process by test/e2e/lib/n8n.ts

if [ $# -gt 0 ]; then files=("$@"); else
  mapfile -t files < <(cd "$PKG_DIR" && find test/e2e -name '*.e2e.ts' -not -path '*/node_modules/*' | sort)
fi
[ ${#files[@]} -gt 0 ] || { echo "e2e: no test/e2e/**/*.e2e.ts files" >&2; exit 1; }

n8n_env_log "running ${#files[@]} e2e file(s) on node $(node -v), n8n $N8N_VERSION (setup took $(( $(date +%s) - t_start )) s)"
cd "$PKG_DIR"
# tsx from the repo's devDependencies, run by the Node >= 24 that n8n-env.sh put first on PATH
set +e
node "$TSX_CLI" --test --test-reporter=spec \
  --test-concurrency="${E2E_CONCURRENCY:-1}" --test-timeout="${E2E_TEST_TIMEOUT:-300000}" "${files[@]}"
rc=$?
set -e
n8n_env_log "e2e finished with exit $rc in $(( $(date +%s) - t_start )) s"
exit $rc
