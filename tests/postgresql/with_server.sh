#!/usr/bin/env bash
# A throw-away PostgreSQL server for the test suites.
#
#   with_server.sh COMMAND...        start a server, run COMMAND with
#                                    XMLSHRED_TEST_POSTGRESQL_* exported,
#                                    stop and remove the server; exits with
#                                    COMMAND's code
#   with_server.sh start HANDLE      start a server and write where it lives
#                                    to the file HANDLE (CTest fixture setup)
#   with_server.sh exec HANDLE COMMAND...
#                                    run COMMAND against that server
#   with_server.sh stop HANDLE       stop it, remove it and HANDLE (cleanup)
#
# The cluster lives in a fresh directory under ${TMPDIR:-/tmp} (short, so
# the socket path fits, and reachable by the `postgres` user wherever the
# build tree is). The server listens on 127.0.0.1 and on a unix socket in
# that directory, on a free port. The superuser `postgres` connects without
# a password; other roles need one over TCP (scram-sha-256), so tests can
# check password URLs. initdb refuses to run as root: as root the cluster
# belongs to the `postgres` OS user and its programs run through runuser.
#
# Exported to COMMAND:
#   XMLSHRED_TEST_POSTGRESQL_URL     superuser URL of database `postgres`
#   XMLSHRED_TEST_POSTGRESQL_SOCKET  the socket directory
#   XMLSHRED_TEST_POSTGRESQL_PORT    the port (socket and TCP)
# Missing server programs are an error, never a silent skip.
set -euo pipefail

readonly superuser=postgres
readonly start_attempts=5
readonly port_base=20000
readonly port_span=30000

fail() {
  echo "with_server.sh: $*" >&2
  exit 1
}

# The newest installed server's bin directory (Debian keeps one per major
# version under /usr/lib/postgresql), or whatever PATH offers.
find_bindir() {
  local candidate
  if [[ -n "${XMLSHRED_POSTGRESQL_BINDIR:-}" ]]; then
    echo "$XMLSHRED_POSTGRESQL_BINDIR"
    return
  fi
  candidate=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [[ -n "$candidate" && -x "$candidate/initdb" ]]; then
    echo "$candidate"
    return
  fi
  candidate=$(command -v initdb || true)
  [[ -n "$candidate" ]] || fail "PostgreSQL server programs (initdb," \
    "pg_ctl) not found; install the postgresql package" \
    "(scripts/install-deps.sh does)"
  dirname "$candidate"
}

# Runs a server program as the cluster's owner.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

write_config() {
  local data=$1 state=$2 port=$3
  cat >>"$data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$state'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
EOF
  cat >"$data/pg_hba.conf" <<EOF
local all all trust
host all $superuser 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
EOF
}

start_server() {
  local state=$1 bindir data port attempt
  bindir=$(find_bindir)
  data="$state/data"
  if [[ $(id -u) -eq 0 ]]; then
    getent passwd postgres >/dev/null ||
      fail "running as root needs the 'postgres' OS user to own the cluster"
    chown postgres "$state"
  fi
  as_owner "$bindir/initdb" -D "$data" -U "$superuser" -A trust \
    --no-sync -E UTF8 --locale=C >"$state/initdb.log" 2>&1 ||
    fail "initdb failed: $(tail -5 "$state/initdb.log")"

  # A random port may be taken: try a few, each time from initdb's file.
  cp "$data/postgresql.conf" "$state/postgresql.conf.orig"
  for ((attempt = 1; attempt <= start_attempts; attempt++)); do
    port=$((port_base + RANDOM % port_span))
    cat "$state/postgresql.conf.orig" >"$data/postgresql.conf"
    write_config "$data" "$state" "$port"
    if as_owner "$bindir/pg_ctl" -D "$data" -l "$state/server.log" -w \
        -t 30 start >/dev/null 2>&1; then
      echo "$port" >"$state/port"
      echo "$bindir" >"$state/bindir"
      return 0
    fi
  done
  fail "server did not start: $(tail -5 "$state/server.log" 2>/dev/null)"
}

stop_server() {
  local state=$1
  [[ -d "$state" ]] || return 0
  if [[ -f "$state/bindir" ]]; then
    as_owner "$(cat "$state/bindir")/pg_ctl" -D "$state/data" -m immediate \
      -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$state"
}

export_server() {
  local state=$1 port
  [[ -f "$state/port" ]] ||
    fail "no server in $state (did the start step fail?)"
  port=$(cat "$state/port")
  export XMLSHRED_TEST_POSTGRESQL_SOCKET="$state"
  export XMLSHRED_TEST_POSTGRESQL_PORT="$port"
  export XMLSHRED_TEST_POSTGRESQL_URL="postgresql://$superuser@/postgres?host=$state&port=$port"
}

new_state_dir() {
  mktemp -d "${TMPDIR:-/tmp}/xmlshred-pg.XXXXXX"
}

state_of() {
  [[ -f "$1" ]] || fail "no server handle $1 (did the start step fail?)"
  cat "$1"
}

[[ $# -ge 1 ]] || fail "usage: with_server.sh COMMAND... | start HANDLE |" \
  "exec HANDLE COMMAND... | stop HANDLE"

case "$1" in
  start)
    [[ $# -eq 2 ]] || fail "usage: with_server.sh start HANDLE"
    if [[ -f "$2" ]]; then
      stop_server "$(cat "$2")"
    fi
    state=$(new_state_dir)
    echo "$state" >"$2"
    start_server "$state"
    ;;
  stop)
    [[ $# -eq 2 ]] || fail "usage: with_server.sh stop HANDLE"
    if [[ -f "$2" ]]; then
      stop_server "$(cat "$2")"
      rm -f "$2"
    fi
    ;;
  exec)
    [[ $# -ge 3 ]] || fail "usage: with_server.sh exec HANDLE COMMAND..."
    state=$(state_of "$2")
    shift 2
    export_server "$state"
    exec "$@"
    ;;
  *)
    state=$(new_state_dir)
    trap 'stop_server "$state"' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    start_server "$state"
    export_server "$state"
    set +e
    "$@"
    code=$?
    set -e
    exit "$code"
    ;;
esac
