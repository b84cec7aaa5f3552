#!/usr/bin/env bash
# `npm start`: a local n8n (SQLite, http://127.0.0.1:5678) with this package installed like a user's
# community-node install, plus the local 360dialog emulator (http://127.0.0.1:4360, API key `test-key`).
# Ctrl-C stops both. First run installs Node 24 + n8n into ~/.cache/n8n-360dialog (~5 min, ~3 GB).
# Demo: workflows/demo-echo-bot.json (360dialog Trigger -> mark as read -> echo reply) is imported with a
# credential pointing at the emulator and activated; the script then prints the one curl command that delivers
# a test WhatsApp message to it.
# Files: n8n runs in $HOME (its working folder, as in n8n's Docker image: /home/node) and $HOME/.n8n-files exists,
# the only folder n8n 2.x lets nodes read and write by default (N8N_RESTRICT_FILE_ACCESS_TO=~/.n8n-files). So a
# relative path such as workflows/delivery-status-log.json's `.n8n-files/whatsapp-status-log.jsonl` lands there.
#
# Knobs:
#   N8N_INSTALL_MODE=pack|link  pack (default): install the `npm pack` tarball, exactly what users get;
#                               link: symlink the working copy (then `npm run build` + restart picks up changes)
#   START_BUILD=auto|always|never  auto (default): build when dist/ is missing or older than the sources
#   START_EMULATOR=0            do not start the emulator
#   START_DEMO=0                do not import/activate the demo workflow
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
# wait_port <port> <seconds> [pid]: until something listens on the port; gives up at once when <pid> has exited
wait_port() {
  local i
  for ((i = 0; i < ${2:-60} * 4; i++)); do
    port_busy "$1" && return 0
    if [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null; then return 2; fi
    sleep 0.25
  done
  return 1
}
# emulator_up <seconds>: the emulator listens, or a clear message (dead at once, or silent) with its last log lines
emulator_up() {
  local rc=0
  wait_port "$EMULATOR_PORT" "$1" "$EMU_PID" || rc=$?
  case $rc in
    0) return 0 ;;
    2) echo "start: the emulator exited at start (pid $EMU_PID); last lines of $LOG_DIR/emulator.log:" >&2 ;;
    *) echo "start: the emulator did not listen on 127.0.0.1:$EMULATOR_PORT within $1 s; last lines of $LOG_DIR/emulator.log:" >&2 ;;
  esac
  tail -20 "$LOG_DIR/emulator.log" >&2
  EMU_PID=''
  return 1
}

# ---- 1. build (only if needed) --------------------------------------------------------------------------
n8n_build_if_needed start || exit 1

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
    EMU_PID=$!   # waited for below (before the demo import and n8n)
  fi
fi

# ---- 4. demo: the echo-bot workflow + a credential pointing at the emulator, activated before n8n starts ------
# workflows/demo-echo-bot.json: 360dialog Trigger (Automatic registration) -> mark as read -> echo reply.
# The credential uses the emulator as "Custom Base URL", so when n8n activates the workflow (first start), the
# Trigger registers n8n's webhook URL + a generated secret header with the emulator, exactly as with 360dialog.
# n8n calls a trigger's registration only when the workflow is activated, not at every start (360dialog keeps the
# config); the emulator starts empty each time, so later starts give it back the config registered the first time
# (saved in $N8N_USER_FOLDER/.n8n-360dialog-demo/). Re-runs skip the three import CLI calls (~5-15 s each) unless
# the demo files or the emulator port changed. START_DEMO=0 turns the demo off.
DEMO_WORKFLOW="$PKG_DIR/workflows/demo-echo-bot.json"
DEMO_ENABLED=0
DEMO_SECRET_HEADER=X-360-Webhook-Secret
demo_json() { node -p "const w=require(process.argv[1]); $1" "$DEMO_WORKFLOW"; }
demo_cli() {  # demo_cli <log name> <n8n args...>: one n8n CLI call, own task-broker port (P10), output to a log
  local log="$LOG_DIR/demo-$1.log"; shift
  N8N_RUNNERS_BROKER_PORT=$(n8n_pick_free_port) "$N8N_BIN" "$@" >"$log" 2>&1 && return 0
  echo "start: WARNING n8n $1 failed (log: $log):" >&2; tail -5 "$log" >&2; return 1
}
demo_webhook_config() {  # {"url": <this n8n's URL of the demo Trigger>, "headers": {secret}} for a given secret
  node -e 'console.log(JSON.stringify({ url: process.argv[1], headers: { [process.argv[2]]: process.argv[3] } }))' \
    "$DEMO_URL" "$DEMO_SECRET_HEADER" "$1"
}
demo_emulator_config() { curl -fsS -H 'D360-API-KEY: test-key' "http://127.0.0.1:$EMULATOR_PORT/v1/configs/webhook" 2>/dev/null || true; }
demo_set_emulator_config() {
  curl -fsS -o /dev/null -X POST -H 'D360-API-KEY: test-key' -H 'content-type: application/json' \
    --data-binary "$1" "http://127.0.0.1:$EMULATOR_PORT/v1/configs/webhook"
}
# The secret the Trigger registered: the one saved after the first registration, else the workflow's static data.
demo_known_secret() {
  if [ -f "$DEMO_DIR/secret" ]; then cat "$DEMO_DIR/secret"; return 0; fi
  [ "${1:-}" = export ] || return 0
  demo_cli export export:workflow --id="$DEMO_ID" --output="$DEMO_DIR/export.json" || return 0
  node -e 'const [w] = [].concat(require(process.argv[1])); const t = w.nodes.find((n) => n.type.endsWith(".dialog360Trigger"));
    const s = (w.staticData || {})["node:" + t.name] || {}; if (s.secret) console.log(s.secret);' "$DEMO_DIR/export.json" 2>/dev/null || true
}
demo_before_start() {
  [ "${START_DEMO:-1}" != 0 ] || return 0
  if [ ! -f "$DEMO_WORKFLOW" ]; then echo "start: WARNING $DEMO_WORKFLOW missing: no demo" >&2; return 0; fi
  if [ "${START_EMULATOR:-1}" = 0 ] || ! port_busy "$EMULATOR_PORT"; then
    echo "start: no emulator on 127.0.0.1:$EMULATOR_PORT: skipping the demo workflow" >&2; return 0
  fi
  DEMO_ID=$(demo_json 'w.id') DEMO_NAME=$(demo_json 'w.name')
  DEMO_URL="http://127.0.0.1:$N8N_PORT/webhook/$(demo_json 'w.nodes.find((n) => n.type.endsWith(".dialog360Trigger")).webhookId')/webhook"
  local cred_id cred_name stamp want step t secret parts
  cred_id=$(demo_json 'w.nodes.find((n) => n.credentials).credentials.dialog360Api.id')
  cred_name=$(demo_json 'w.nodes.find((n) => n.credentials).credentials.dialog360Api.name')
  DEMO_DIR="$N8N_USER_FOLDER/.n8n-360dialog-demo"
  mkdir -p "$DEMO_DIR"
  cat > "$DEMO_DIR/credentials.json" <<JSON
[{ "id": "$cred_id", "name": "$cred_name", "type": "dialog360Api",
   "data": { "apiKey": "test-key", "environment": "custom", "baseUrl": "http://127.0.0.1:$EMULATOR_PORT" } }]
JSON
  want=$( (cat "$DEMO_WORKFLOW" "$DEMO_DIR/credentials.json"; echo "$N8N_VERSION") | sha256sum | cut -c1-16)
  stamp=$(cat "$DEMO_DIR/imported" 2>/dev/null || true)
  if [ "$stamp" != "$want" ] || [ ! -f "$N8N_USER_FOLDER/.n8n/database.sqlite" ]; then
    # n8n 1.x has no publish:workflow (and 2.x deprecates update:workflow --active)
    local activate="publish:workflow --id=$DEMO_ID"
    case "$N8N_VERSION" in 1.*) activate="update:workflow --id=$DEMO_ID --active=true" ;; esac
    for step in "credential|import:credentials --input=$DEMO_DIR/credentials.json|importing the demo credential (emulator, API key test-key)" \
                "workflow|import:workflow --input=$DEMO_WORKFLOW|importing the demo workflow \"$DEMO_NAME\"" \
                "activate|$activate|activating it (n8n ${activate%% *})"; do
      IFS='|' read -r -a parts <<<"$step"
      n8n_env_log "${parts[2]} ..."
      t=$(date +%s)
      # shellcheck disable=SC2086  # the CLI arguments are word-split on purpose
      demo_cli "${parts[0]}" ${parts[1]} || { echo "start: continuing without the demo" >&2; return 0; }
      n8n_env_log "  done in $(( $(date +%s) - t )) s"
    done
    echo "$want" > "$DEMO_DIR/imported"
  else
    n8n_env_log "demo workflow \"$DEMO_NAME\" already imported (delete $DEMO_DIR/imported to import it again)"
  fi
  DEMO_ENABLED=1
  secret=$(demo_known_secret)
  if [ -n "$secret" ] && demo_set_emulator_config "$(demo_webhook_config "$secret")"; then
    n8n_env_log "gave the emulator the webhook config the demo Trigger registered before ($DEMO_URL + secret header)"
  fi
}
# n8n activates the demo at startup and its Trigger calls the emulator then: the emulator must be up first
if [ -n "$EMU_PID" ]; then
  n8n_env_log "waiting for the emulator"
  emulator_up 60 || exit 1
fi
demo_before_start

# n8n only writes where N8N_RESTRICT_FILE_ACCESS_TO allows (2.x default ~/.n8n-files) and does not create that folder
mkdir -p "$HOME/.n8n-files"
n8n_env_log "starting n8n $N8N_VERSION on http://127.0.0.1:$N8N_PORT (data: $N8N_USER_FOLDER; working folder: $HOME, files: $HOME/.n8n-files)"
t0=$(date +%s)
(cd "$HOME" && exec setsid "$N8N_BIN" start) </dev/null &
N8N_PID=$!
ready=0
for ((i = 0; i < 480; i++)); do
  kill -0 "$N8N_PID" 2>/dev/null || break
  if curl -fsS -o /dev/null "http://127.0.0.1:$N8N_PORT/healthz/readiness" 2>/dev/null; then ready=1; break; fi
  sleep 0.25
done
if [ "$ready" != 1 ]; then echo "start: n8n did not become ready" >&2; exit 1; fi
# n8n says in its public settings whether the owner account still has to be created
owner_hint=''
if curl -fsS "http://127.0.0.1:$N8N_PORT/rest/settings" 2>/dev/null | grep -q '"showSetupOnFirstLoad":true'; then
  owner_hint='   (first visit: create the owner account)'
fi
if [ -n "$EMU_PID" ]; then emulator_up 30 || exit 1; fi

# ---- 5. demo: check that the emulator delivers to the demo Trigger, then say how to try it -------------------
demo_wait_registered() {  # demo_wait_registered <seconds>: until the emulator's webhook is this n8n's demo URL
  local i config
  for ((i = 0; i < $1 * 4; i++)); do
    config=$(demo_emulator_config)
    case "$config" in *"\"$DEMO_URL\""*) printf '%s' "$config"; return 0 ;; esac
    sleep 0.25
  done
  return 1
}
demo_after_ready() {
  [ "$DEMO_ENABLED" = 1 ] || return 0
  local config secret
  n8n_env_log "waiting for the demo Trigger's webhook ($DEMO_URL) in the emulator"
  if ! config=$(demo_wait_registered 20); then
    # activated in an earlier run whose registration was not saved: take the secret from the workflow's static data
    n8n_env_log "not registered by this start (n8n registers on activation only): restoring it from the workflow's static data"
    secret=$(demo_known_secret export)
    if [ -z "$secret" ] || ! demo_set_emulator_config "$(demo_webhook_config "$secret")" || ! config=$(demo_wait_registered 5); then
      echo "start: WARNING the demo Trigger's webhook is not set in the emulator (is the workflow active? n8n log above;" \
        "delete $DEMO_DIR/imported and restart to import and activate it again)" >&2
      return 0
    fi
  fi
  node -e 'const c = JSON.parse(process.argv[1]); process.stdout.write((c.headers || {})[process.argv[2]] || "")' \
    "$config" "$DEMO_SECRET_HEADER" > "$DEMO_DIR/secret.tmp" && [ -s "$DEMO_DIR/secret.tmp" ] && mv "$DEMO_DIR/secret.tmp" "$DEMO_DIR/secret"
  cat >&2 <<EOF
  Demo workflow (active): http://127.0.0.1:$N8N_PORT/workflow/$DEMO_ID  "$DEMO_NAME"
  The emulator delivers WhatsApp webhooks to $DEMO_URL (set by the 360dialog Trigger's Automatic registration).

  Send it a test WhatsApp message (the emulator plays 360dialog and delivers it to n8n):

    curl -X POST http://127.0.0.1:$EMULATOR_PORT/_emulator/inbound -H 'content-type: application/json' -d '{"fixture":"message-text","fresh":true}'

  What the workflow sent back (mark as read + echo reply):  curl -s 'http://127.0.0.1:$EMULATOR_PORT/_emulator/messages?limit=2'

EOF
}

cat >&2 <<EOF

  n8n $N8N_VERSION is ready in $(( $(date +%s) - t0 )) s:  http://127.0.0.1:$N8N_PORT$owner_hint
  package: $PKG_NAME (${N8N_INSTALL_MODE:-pack} install)   nodes: "360dialog", "360dialog Media", "360dialog Trigger"
  $( [ -n "$EMU_PID" ] && echo "360dialog emulator: http://127.0.0.1:$EMULATOR_PORT  (credential: environment custom, base URL http://127.0.0.1:$EMULATOR_PORT, API key test-key)" )
  Ctrl-C stops everything.

EOF
demo_after_ready

wait "$N8N_PID" || true
N8N_PID_EXITED=$N8N_PID; N8N_PID=''
n8n_env_log "n8n (pid $N8N_PID_EXITED) exited"
