#!/usr/bin/env bash
# Sourced by scripts/test.sh and scripts/postgres-test.sh (needs $PY): unless REVIEW_TEST_PG_URL is
# already set, install Debian's postgresql if missing (apt-get, as root), create a throwaway cluster
# in a temp folder (initdb/pg_ctl from /usr/lib/postgresql/*/bin; as the `postgres` user when run as
# root) on a free port on 127.0.0.1 only, export REVIEW_TEST_PG_URL, and stop and delete it on exit.
# psycopg 3 is pip-installed if missing (the optional extra `postgres`).

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "pg-cluster.sh: '$*' needs root" >&2; return 1; fi
}

if ! "$PY" -c "import psycopg" 2>/dev/null; then
  echo "pg-cluster.sh: installing psycopg[binary]" >&2
  "$PY" -m pip install -q --disable-pip-version-check 'psycopg[binary]>=3.1'
fi

if [ -z "${REVIEW_TEST_PG_URL:-}" ]; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
    echo "pg-cluster.sh: installing Debian's postgresql" >&2
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi

  TMP=$(mktemp -d /tmp/review-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then
    # PostgreSQL refuses to run as root: the cluster belongs to the unprivileged postgres user.
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
    chown postgres: "$TMP"
    run() { runuser -u postgres -- "$@"; }
  else
    run() { "$@"; }
  fi
  PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

  cleanup() {
    run "$PGBIN/pg_ctl" -D "$TMP/data" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
    rm -rf "$TMP"
  }
  trap cleanup EXIT

  run "$PGBIN/initdb" -D "$TMP/data" -U review --auth=trust -E UTF8 --no-locale >"$TMP/initdb.log" 2>&1 \
    || { cat "$TMP/initdb.log" >&2; exit 1; }
  # fsync off: a throwaway cluster; listen on loopback only; the socket in the temp folder.
  run "$PGBIN/pg_ctl" -D "$TMP/data" -l "$TMP/server.log" -w -t 30 \
    -o "-p $PORT -k $TMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$TMP/server.log" >&2; exit 1; }
  run "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U review review_test
  export REVIEW_TEST_PG_URL="postgresql+psycopg://review@127.0.0.1:$PORT/review_test"
  echo "pg-cluster.sh: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on port $PORT ($TMP)" >&2
fi

