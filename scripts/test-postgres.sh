#!/usr/bin/env bash
# Prints a PostgreSQL URL for the test suite, installing and starting a local server
# (Debian package 'postgresql') when it can. Prints nothing when it cannot; the
# PostgreSQL tests then skip with that reason. Only loopback is used.
set -u
log() { echo "test-postgres: $*" >&2; }
if [ -n "${DRAGOMAN_TEST_PG_URL:-}" ]; then echo "$DRAGOMAN_TEST_PG_URL"; exit 0; fi
if ! command -v pg_lsclusters >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing postgresql (Debian package)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >/tmp/dragoman-pg-install.log 2>&1 \
      || { log "could not install postgresql (see /tmp/dragoman-pg-install.log)"; exit 0; }
  else
    log "postgresql not installed and cannot install it (needs root and apt-get)"; exit 0
  fi
fi
cluster=$(pg_lsclusters -h 2>/dev/null | head -n 1)
if [ -z "$cluster" ]; then log "no PostgreSQL cluster found"; exit 0; fi
set -- $cluster
version=$1 name=$2 port=$3 status=$4
if [ "$status" != online ]; then
  pg_ctlcluster "$version" "$name" start >/dev/null 2>&1 || { log "could not start cluster $version/$name"; exit 0; }
fi
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
as_pg psql -q -p "$port" -tAc "SELECT 1 FROM pg_roles WHERE rolname='dragoman'" 2>/dev/null | grep -q 1 \
  || as_pg psql -q -p "$port" -c "CREATE ROLE dragoman LOGIN PASSWORD 'dragoman'" >/dev/null 2>&1
as_pg psql -q -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname='dragoman_test'" 2>/dev/null | grep -q 1 \
  || as_pg psql -q -p "$port" -c "CREATE DATABASE dragoman_test OWNER dragoman" >/dev/null 2>&1
echo "postgresql+psycopg://dragoman:dragoman@127.0.0.1:${port}/dragoman_test"
