#!/usr/bin/env bash
# `npm run start:queue`: n8n 2.x in QUEUE MODE on this machine, like production with several processes, plus the
# local 360dialog emulator and the echo-bot demo (workflows/demo-echo-bot.json), until Ctrl-C:
#
#   emulator ──webhook──▶ nginx 127.0.0.1:5680 ──▶ n8n webhook ×2 ──Redis──▶ n8n worker ×2 ──▶ replies to the emulator
#                          n8n main 127.0.0.1:5678 (editor, API, activation)      PostgreSQL (all n8n data)
#
# On a fresh machine after `npm install`: installs what is missing (apt-get install -y postgresql redis-server nginx,
# when their binaries are absent and we are root; Node 24 + the pinned n8n into ~/.cache/n8n-360dialog through
# scripts/n8n-env.sh, as `npm start` does), builds the package when dist/ is missing or older than the sources,
# installs it from its `npm pack` tarball, then runs scripts/start-queue.ts (tsx), which starts the emulator and the
# stack (test/e2e/lib/queueStack.ts), imports the demo's credential (pointed at the emulator) and workflow, activates
# it (its Trigger registers nginx's URL with the emulator) and prints the processes (pids, ports), the editor URL and
# login, and the curl command that delivers a test message through nginx. Ctrl-C stops everything it started, by PID.
#
# Data: a TEMPORARY folder, ${TMPDIR:-/tmp}/n8n-360dialog-queue.XXXXXX (PostgreSQL, Redis, nginx, the n8n user
# folder, logs), removed at the end: every run starts from an empty database. (Not ~/.cache/n8n-360dialog: as root,
# PostgreSQL runs as the `postgres` user, which cannot enter /root.) START_QUEUE_KEEP=1 keeps it.
#
# Knobs:
#   START_QUEUE_EDITOR_PORT=5678    n8n main (editor); a busy port is replaced by a free one
#   START_QUEUE_WEBHOOK_PORT=5680   nginx, the public webhook URL (N8N_WEBHOOK_URL)
#   EMULATOR_PORT=4360              the emulator
#   START_QUEUE_WEBHOOK_PROCESSORS=2, START_QUEUE_WORKERS=2
#   START_BUILD=auto|always|never   as in scripts/start.sh
#   START_DEMO=0                    no demo workflow
#   START_QUEUE_KEEP=1              keep the data folder
#   E2E_QUEUE_INSTALL=0             never apt-get install
#   + everything in scripts/n8n-env.sh (N8N_CACHE_DIR, ...)
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$SCRIPT_DIR/queue-deps.sh"
queue_deps_ensure || exit 1
source "$SCRIPT_DIR/n8n-env.sh"
TSX_CLI="$PKG_DIR/node_modules/tsx/dist/cli.mjs"
[ -f "$TSX_CLI" ] || { echo "start:queue: $TSX_CLI missing: run npm install first" >&2; exit 1; }

# ---- build (only if needed: n8n_build_if_needed in scripts/n8n-env.sh) -------------------------------------------
n8n_build_if_needed start:queue || exit 1

# ---- the package from its npm pack tarball, into a template .n8n/nodes (copied into the stack's user folder) -----
WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/n8n-360dialog-queue.XXXXXX")
chmod 711 "$WORK_DIR"   # PostgreSQL (as postgres) and nginx's worker (as nobody) must traverse it
N8N_USER_FOLDER="$WORK_DIR/template" n8n_install_package pack || { rm -rf "$WORK_DIR"; exit 1; }
# chosen per process by test/e2e/lib/queueStack.ts (WEBHOOK_URL is deprecated in 2.41: N8N_WEBHOOK_URL = nginx)
unset N8N_USER_FOLDER N8N_PORT N8N_RUNNERS_BROKER_PORT WEBHOOK_URL N8N_EDITOR_BASE_URL

cd "$PKG_DIR"
# exec: Ctrl-C reaches start-queue.ts, which stops everything by PID and removes $WORK_DIR. `node --import tsx`, not
# tsx's CLI: the CLI relays Ctrl-C to its child and SIGKILLs it when the child does not confirm within 30 ms + 30 ms,
# which cut the stop short (processes and the data folder were left behind).
exec node --import tsx scripts/start-queue.ts --work-dir "$WORK_DIR" --nodes-dir "$WORK_DIR/template/.n8n/nodes"
