#!/usr/bin/env bash
# End-to-end tests of n8n 2.x in QUEUE MODE (main + webhook processors behind nginx + workers, PostgreSQL, Redis;
# test/e2e/lib/queueStack.ts). Usage:
#   bash scripts/e2e-queue.sh                                  # all test/e2e/queue/*.queue.ts   (npm run test:e2e:queue)
#   bash scripts/e2e-queue.sh test/e2e/queue/server.queue.ts   # selected files
#
# The files are named *.queue.ts, not *.e2e.ts, so `npm test` (scripts/e2e.sh's default glob) does not run them.
# Everything else is scripts/e2e.sh: build, npm pack, the package installed into a template `.n8n/nodes`, node:test
# through tsx, and its knobs (E2E_BUILD, E2E_KEEP, E2E_TEST_TIMEOUT, ...).
#
# Needs PostgreSQL (initdb/pg_ctl, Debian: /usr/lib/postgresql/<v>/bin), redis-server and nginx; with apt-get and
# root they are installed when missing (E2E_QUEUE_INSTALL=0: never). Run as root, PostgreSQL runs as `postgres`.
# One stack per file: ~0.4-0.6 GB per n8n process, 5 n8n processes with the defaults.
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PKG_DIR=$(cd "$SCRIPT_DIR/.." && pwd)
source "$SCRIPT_DIR/queue-deps.sh"
queue_deps_ensure || exit 1

if [ $# -gt 0 ]; then files=("$@"); else
  mapfile -t files < <(cd "$PKG_DIR" && find test/e2e/queue -name '*.queue.ts' | sort)
fi
[ ${#files[@]} -gt 0 ] || { echo "e2e-queue: no test/e2e/queue/*.queue.ts files" >&2; exit 1; }
exec bash "$SCRIPT_DIR/e2e.sh" "${files[@]}"
