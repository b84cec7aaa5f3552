#!/usr/bin/env bash
# The same end-to-end suite (test/e2e/**/*.e2e.ts) against n8n 1.x on Node 20: the last 1.x line, still what
# many self-hosted installs run. Usage: bash scripts/e2e-n8n1.sh [files...]   (npm run test:e2e:n8n1)
#
# First run installs n8n 1.x next to the 2.x cache (~3 GB more in ~/.cache/n8n-360dialog, several minutes).
# n8n-env.sh picks the 1.x defaults from the version: Node 20 exactly (the system's, or node@20 from npm)
# and the npm override xlsx -> 0.18.5 (n8n-nodes-base 1.x points xlsx at a cdn.sheetjs.com tarball).
#
# Knobs: N8N_VERSION (default 1.123.81) + everything in scripts/e2e.sh and scripts/n8n-env.sh.
set -euo pipefail
export N8N_VERSION=${N8N_VERSION:-1.123.81}
case "$N8N_VERSION" in 1.*) ;; *) echo "e2e-n8n1: N8N_VERSION=$N8N_VERSION is not a 1.x version" >&2; exit 2 ;; esac
exec bash "$(dirname "${BASH_SOURCE[0]}")/e2e.sh" "$@"
