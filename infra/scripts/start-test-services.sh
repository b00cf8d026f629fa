#!/usr/bin/env bash
# Sourced by test.sh: starts the services the tests need and sets STOP_TEST_SERVICES to stop them.
# PostgreSQL: TRADEFINDER_TEST_PG wins (point it at your own server); otherwise a throw-away cluster on a
# loopback port, installed from Debian packages if the binaries are missing. Docker is never needed.
STOP_TEST_SERVICES="${STOP_TEST_SERVICES:-}"

if [ -z "${TRADEFINDER_TEST_PG:-}" ]; then
  if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    echo "installing postgresql (binaries only; no service is started by apt)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends --no-upgrade postgresql >/dev/null
  fi
  PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  PGROOT="$(mktemp -d "${TMPDIR:-/tmp}/tradefinder-pg.XXXXXX")"
  PGPORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)"
  run_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sh -c "$1"; fi; }
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGROOT"
  run_pg "$PGBIN/initdb -D $PGROOT/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
  run_pg "$PGBIN/pg_ctl -D $PGROOT/data -l $PGROOT/log -w -t 30 start -o '-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGROOT -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300'" >/dev/null
  export TRADEFINDER_TEST_PG="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=postgres;Timeout=5"
  echo "throw-away PostgreSQL on 127.0.0.1:$PGPORT"
  STOP_TEST_SERVICES="run_pg '$PGBIN/pg_ctl -D $PGROOT/data -m fast stop' >/dev/null 2>&1; rm -rf '$PGROOT'; $STOP_TEST_SERVICES"
fi

# docker-compose validates the compose stack offline (the deployment tests run `docker-compose config`); the
# Debian package parses without a Docker engine. setpriv (util-linux) runs the published gateway as non-root.
if ! command -v docker-compose >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing docker-compose (validation only; no engine is needed)"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get install -y -qq --no-install-recommends --no-upgrade docker-compose >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends --no-upgrade docker-compose >/dev/null; }; }
  else
    echo "docker-compose is missing: install it (e.g. apt-get install docker-compose) for the deployment tests" >&2
  fi
fi

# promtool checks the alerting rules and runs their unit tests; prometheus scrapes a test gateway (Debian's package;
# no service is started in a container without systemd).
if ! command -v promtool >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing prometheus (promtool and the server binary for the monitoring tests)"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get install -y -qq --no-install-recommends --no-upgrade prometheus >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends --no-upgrade prometheus >/dev/null; }; }
    # The package enables a service; tests start their own server on a loopback port.
    { command -v systemctl >/dev/null 2>&1 && systemctl stop prometheus >/dev/null 2>&1; } || true
  else
    echo "promtool is missing: install prometheus (e.g. apt-get install prometheus) for the monitoring tests" >&2
  fi
fi

# Debian's Chromium renders the live page in the browser test (driven by playwright-core from tests/compat; no
# browser download).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium (headless browser test of the live page)"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get install -y -qq --no-install-recommends --no-upgrade chromium >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends --no-upgrade chromium >/dev/null; }; }
  else
    echo "chromium is missing: install it (e.g. apt-get install chromium) for the live page's browser test" >&2
  fi
fi

# Redis holds the replicas' shared budgets in the scale-out tests (each test starts its own redis-server on a loopback
# port; no service is started).
if [ ! -x /usr/bin/redis-server ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing redis-server (the replicas' shared budgets in the scale-out tests)"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get install -y -qq --no-install-recommends --no-upgrade redis-server >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends --no-upgrade redis-server >/dev/null; }; }
    # The package may start a service on 6379; tests start their own servers.
    { command -v systemctl >/dev/null 2>&1 && systemctl stop redis-server >/dev/null 2>&1; } || true
  else
    echo "redis-server is missing: install it (e.g. apt-get install redis-server) for the scale-out tests" >&2
  fi
fi
