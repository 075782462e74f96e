#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and the benchmark, from Debian's packages,
# on a loopback port, under a temporary directory.
#
#   scripts/pg-test.sh start        starts one; prints its URL (postgres://postgres@127.0.0.1:PORT/postgres)
#   scripts/pg-test.sh stop URL     stops the cluster of that URL and removes its directory
#
# Needs the postgresql package (scripts/setup.sh --with-postgres installs it). As root,
# initdb and pg_ctl run as the `postgres` user. Authentication is `trust`, on 127.0.0.1
# only: never use it for anything but tests.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

usage() { sed -n '2,10s/^# \{0,1\}//p' "$0"; }

pg_bin=${INFLOW_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}
[[ -n $pg_bin && -x $pg_bin/initdb ]] ||
    die "PostgreSQL's initdb was not found under /usr/lib/postgresql/*/bin: run scripts/setup.sh --with-postgres (or set INFLOW_PG_BIN)"

# as_pg COMMAND...: runs a PostgreSQL tool as the `postgres` user when root, else as us.
as_pg() {
    if [[ $(id -u) == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

dir_of() { echo "${TMPDIR:-/tmp}/inflow-pg-$1"; }

start() {
    local port dir log
    for _ in 1 2 3 4 5 6 7 8; do
        port=$((20000 + RANDOM % 20000))
        dir=$(dir_of "$port")
        [[ -e $dir ]] && continue
        mkdir -p "$dir"
        [[ $(id -u) == 0 ]] && chown postgres: "$dir"
        log=$dir/log
        as_pg "$pg_bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
            die "initdb failed (see $dir/initdb.log): check that $dir is writable by the postgres user"
        if as_pg "$pg_bin/pg_ctl" -D "$dir/data" -l "$log" -w -t 30 start \
            -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=128MB" \
            >/dev/null 2>&1; then
            echo "postgres://postgres@127.0.0.1:$port/postgres"
            return 0
        fi
        # Most likely the port was taken: clean up and try another.
        as_pg "$pg_bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$dir"
    done
    die "PostgreSQL did not start on any of 8 random ports: read the log of the last try, or free ports 20000-40000"
}

stop() {
    local url=${1:-} port dir
    [[ -n $url ]] || die "pg-test.sh stop needs the URL that start printed"
    port=${url##*:}
    port=${port%%/*}
    [[ $port =~ ^[0-9]+$ ]] || die "cannot read a port in '$url': pass the URL that start printed"
    dir=$(dir_of "$port")
    [[ -d $dir/data ]] || die "no cluster of this script under $dir: it was stopped already or started elsewhere"
    as_pg "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 ||
        as_pg "$pg_bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}

case ${1:-} in
start) start ;;
stop) stop "${2:-}" ;;
-h | --help) usage ;;
*) usage >&2 && exit 2 ;;
esac
