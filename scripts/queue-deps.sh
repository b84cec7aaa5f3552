#!/usr/bin/env bash
# Sourced by scripts/e2e-queue.sh and scripts/start-queue.sh: makes sure PostgreSQL, Redis and nginx are installed
# (Debian/Ubuntu: apt-get install -y postgresql redis-server nginx, only for what is missing, only as root with apt-get;
# E2E_QUEUE_INSTALL=0 turns the install off). Only the binaries are used: no system service is started.

queue_deps_missing() {
  local missing=() d found=''
  for d in ${PG_BIN_DIR:-} /usr/lib/postgresql/*/bin; do
    [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { found=1; break; }
  done
  [ -n "$found" ] || command -v initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  echo "${missing[*]}"
}

queue_deps_ensure() {
  local missing; missing=$(queue_deps_missing)
  [ -z "$missing" ] && return 0
  if [ "${E2E_QUEUE_INSTALL:-1}" = 0 ] || ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
    echo "queue mode needs: $missing (Debian/Ubuntu: sudo apt-get install -y $missing)" >&2
    return 1
  fi
  echo ">> installing $missing (apt-get)" >&2
  # policy-rc.d: install the packages without starting their system services (the stack starts its own)
  local rc_created=''
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && rc_created=1; fi
  local ok=1
  # shellcheck disable=SC2086  # one word per package
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null; } || ok=0
  if [ -n "$rc_created" ]; then rm -f /usr/sbin/policy-rc.d; fi
  [ "$ok" = 1 ] || { echo "apt-get install $missing failed" >&2; return 1; }
  missing=$(queue_deps_missing)
  [ -z "$missing" ] || { echo "still missing after apt-get: $missing" >&2; return 1; }
}
