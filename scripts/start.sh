#!/usr/bin/env bash
# `npm start`: a local n8n (SQLite, http://127.0.0.1:5678) with this package installed like a user's
# community-node install, plus the local 360dialog emulator (http://127.0.0.1:4360, API key `test-key`).
# Ctrl-C stops both. First run installs Node 24 + n8n into ~/.cache/n8n-360dialog (~5 min, ~3 GB).
#
# Knobs:
#   N8N_INSTALL_MODE=pack|link  pack (default): install the `npm pack` tarball, exactly what users get;
#                               link: symlink the working copy (then `npm run build` + restart picks up changes)
#   START_BUILD=auto|always|never  auto (default): build when dist/ is missing or older than the sources
#   START_EMULATOR=0            do not start the emulator
#   EMULATOR_PORT=4360          emulator port
#   N8N_PORT=5678               n8n port (task broker: N8N_PORT+1)
#   N8N_USER_FOLDER             n8n data (default ~/.cache/n8n-360dialog/home; persists between runs)
#   + everything in scripts/n8n-env.sh
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$SCRIPT_DIR/n8n-env.sh"
EMULATOR_PORT=${EMULATOR_PORT:-4360}
LOG_DIR="$N8N_CACHE_DIR/logs"; mkdir -p "$LOG_DIR"

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { local i; for ((i = 0; i < ${2:-60} * 4; i++)); do port_busy "$1" && return 0; sleep 0.25; done; return 1; }

# ---- 1. build (only if needed) --------------------------------------------------------------------------
needs_build() {
  [ "${START_BUILD:-auto}" = always ] && return 0
  [ "${START_BUILD:-auto}" = never ] && return 1
  [ -d "$PKG_DIR/dist" ] || return 0
  local f declared
  # every file the package declares in package.json "n8n" must exist ...
  declared=$(node -p 'const n=require(process.argv[1]).n8n||{};[...(n.nodes||[]),...(n.credentials||[])].join("\n")' "$PKG_DIR/package.json")
  while IFS= read -r f; do [ -z "$f" ] || [ -f "$PKG_DIR/$f" ] || return 0; done <<<"$declared"
  # ... and be newer than every source file
  f=$(head -1 <<<"$declared")
  [ -n "$f" ] || return 0
  [ -z "$(cd "$PKG_DIR" && find nodes credentials package.json -newer "$f" \( -name '*.ts' -o -name '*.json' -o -name '*.svg' -o -name '*.png' \) 2>/dev/null | head -1)" ] || return 0
  return 1
}
if needs_build; then
  n8n_env_log "building the package (npm run build)"
  (cd "$PKG_DIR" && npm run build --silent) || { echo "start: npm run build failed" >&2; exit 1; }
fi

# ---- 2. install into <user folder>/.n8n/nodes like a user's install ---------------------------------------
n8n_install_package "${N8N_INSTALL_MODE:-pack}"

# ---- 3. processes ---------------------------------------------------------------------------------------
if port_busy "$N8N_PORT"; then echo "start: 127.0.0.1:$N8N_PORT is already in use (another n8n? set N8N_PORT)" >&2; exit 1; fi
if port_busy "$N8N_RUNNERS_BROKER_PORT"; then echo "start: task-broker port $N8N_RUNNERS_BROKER_PORT is in use (set N8N_RUNNERS_BROKER_PORT)" >&2; exit 1; fi

EMU_PID='' N8N_PID=''
stop_group() {  # SIGTERM a process group we started (setsid), SIGKILL after $2 seconds
  local pid=$1 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM -- "-$pid" 2>/dev/null || true
  for ((i = 0; i < ${2:-10} * 4; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$pid" 2>/dev/null || true
}
cleanup() {
  trap - EXIT INT TERM
  [ -n "$N8N_PID" ] && { n8n_env_log "stopping n8n"; stop_group "$N8N_PID" 20; }
  [ -n "$EMU_PID" ] && { n8n_env_log "stopping the emulator"; stop_group "$EMU_PID" 5; }
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "${START_EMULATOR:-1}" != 0 ]; then
  if [ ! -f "$PKG_DIR/test/emulator/cli.ts" ] || [ ! -f "$PKG_DIR/node_modules/tsx/dist/cli.mjs" ]; then
    echo "start: WARNING test/emulator/cli.ts or node_modules/tsx missing (npm ci?): starting n8n without the emulator" >&2
  elif port_busy "$EMULATOR_PORT"; then
    echo "start: WARNING 127.0.0.1:$EMULATOR_PORT already in use: assuming an emulator is running there" >&2
  else
    n8n_env_log "starting the 360dialog emulator on 127.0.0.1:$EMULATOR_PORT (log: $LOG_DIR/emulator.log)"
    (cd "$PKG_DIR" && exec setsid node "$PKG_DIR/node_modules/tsx/dist/cli.mjs" test/emulator/cli.ts --port "$EMULATOR_PORT") \
      >"$LOG_DIR/emulator.log" 2>&1 </dev/null &
    EMU_PID=$!   # waited for below, while n8n boots
  fi
fi

# TODO(demo) hook, BEFORE n8n starts (CLI imports; fixed ids make re-runs idempotent):
#   "$N8N_BIN" import:credentials --input=<demo credential json>   # type dialog360Api, apiKey test-key,
#                                                                  # base URL http://127.0.0.1:$EMULATOR_PORT
#   "$N8N_BIN" import:workflow   --input=<demo workflow json>      # e.g. 360dialog Trigger -> 360dialog (reply)
#   "$N8N_BIN" publish:workflow  --id=<demo workflow id>           # activation must happen before `n8n start` (P6)
#   (the emulator must also be told to deliver its webhooks to http://127.0.0.1:$N8N_PORT/webhook/<path>)
demo_before_start() { :; }
demo_before_start

n8n_env_log "starting n8n $N8N_VERSION on http://127.0.0.1:$N8N_PORT (data: $N8N_USER_FOLDER)"
t0=$(date +%s)
setsid "$N8N_BIN" start </dev/null &
N8N_PID=$!
ready=0
for ((i = 0; i < 480; i++)); do
  kill -0 "$N8N_PID" 2>/dev/null || break
  if curl -fsS -o /dev/null "http://127.0.0.1:$N8N_PORT/healthz/readiness" 2>/dev/null; then ready=1; break; fi
  sleep 0.25
done
if [ "$ready" != 1 ]; then echo "start: n8n did not become ready" >&2; exit 1; fi
if [ -n "$EMU_PID" ] && ! wait_port "$EMULATOR_PORT" 30; then
  echo "start: the emulator did not listen on 127.0.0.1:$EMULATOR_PORT:" >&2; tail -20 "$LOG_DIR/emulator.log" >&2; exit 1
fi

# TODO(demo) hook, AFTER n8n is ready: print what to do next, e.g.
#   echo "Demo workflow: http://127.0.0.1:$N8N_PORT/workflow/<demo id>"
#   echo "Send a test WhatsApp message: npm run emulator -- send --to http://127.0.0.1:$N8N_PORT/webhook/<path> --text hi"
demo_after_ready() { :; }

cat >&2 <<EOF

  n8n $N8N_VERSION is ready in $(( $(date +%s) - t0 )) s:  http://127.0.0.1:$N8N_PORT   (first visit: create the owner account)
  package: $PKG_NAME (${N8N_INSTALL_MODE:-pack} install)   nodes: "360dialog", "360dialog Media", "360dialog Trigger"
  $( [ -n "$EMU_PID" ] && echo "360dialog emulator: http://127.0.0.1:$EMULATOR_PORT  (credential: environment custom, base URL http://127.0.0.1:$EMULATOR_PORT, API key test-key)" )
  Ctrl-C stops everything.

EOF
demo_after_ready

wait "$N8N_PID" || true
N8N_PID_EXITED=$N8N_PID; N8N_PID=''
n8n_env_log "n8n (pid $N8N_PID_EXITED) exited"
