#!/usr/bin/env bash
# Proves the repository stands on its own: a clone of HEAD in an empty temporary folder (no folder
# beside it) runs `npm ci`, starts the emulator, and passes the emulator and spec tests.
# Usage: npm run test:clean-clone   (tests the last commit: commit first)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/360dialog-clean-clone.XXXXXX")
emulator_pgid=""
cleanup() {
  if [ -n "$emulator_pgid" ]; then kill -- "-$emulator_pgid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

clone="$work/n8n-nodes-360dialog"
git clone -q --no-hardlinks "$repo" "$clone"
cd "$clone"
echo "clean clone of $(git rev-parse --short HEAD) in $clone; beside it: $(ls -A "$work" | tr '\n' ' ')"

npm ci --no-audit --no-fund --loglevel=error

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
# Own process group, so the emulator and any child tsx starts are stopped together, by PID.
setsid node_modules/.bin/tsx test/emulator/cli.ts --port "$port" > "$work/emulator.log" 2>&1 &
emulator_pgid=$!
for _ in $(seq 1 100); do
  grep -q 'listening on' "$work/emulator.log" && break
  if ! kill -0 "$emulator_pgid" 2>/dev/null; then echo "the emulator exited at start:"; tail -20 "$work/emulator.log"; exit 1; fi
  sleep 0.2
done
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'D360-API-KEY: test-key' "http://127.0.0.1:$port/v1/configs/webhook")
[ "$status" = 200 ] || { echo "the emulator answered GET /v1/configs/webhook with $status"; tail -20 "$work/emulator.log"; exit 1; }
echo "emulator answers on 127.0.0.1:$port"
kill -- "-$emulator_pgid"; emulator_pgid=""

npx jest test/emulator test/support/metaSpec.test.ts
