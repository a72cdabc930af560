#!/bin/sh
# A throw-away PostgreSQL cluster for the tests and benchmarks: Debian's postgresql, in a scratch
# folder, listening only on a socket in that folder (so it never meets another server's port),
# trusting local connections (it holds only test data). With PORT it also listens on
# 127.0.0.1:PORT, for tools that want TCP.
#
#   sh Tests/postgres-cluster.sh start FOLDER [PORT]   prints the URL of its database `bridges`
#   sh Tests/postgres-cluster.sh stop FOLDER
#
# PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` user the Debian
# package makes. Durability is off (fsync, synchronous_commit): a test cluster is thrown away;
# POSTGRES_CLUSTER_DURABLE=1 keeps PostgreSQL's defaults instead (fsync, synchronous_commit and
# full_page_writes on), for benchmarks that must pay what a real server pays.
set -eu
action=${1:?start or stop}
folder=${2:?a scratch folder}
port=${3:-}

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] && [ -x "$bin/initdb" ] || { echo "postgres-cluster: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 69; }

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
start)
    mkdir -p "$folder"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$folder"
    if [ ! -f "$folder/data/PG_VERSION" ]; then
        as_owner "$bin/initdb" -D "$folder/data" -U bridges --auth=trust -E UTF8 --locale=C.UTF-8 >"$folder/initdb.log" 2>&1 \
            || { cat "$folder/initdb.log" >&2; exit 1; }
    fi
    listen="-h ''"
    durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${POSTGRES_CLUSTER_DURABLE:-}" = 1 ] && durability=""
    [ -n "$port" ] && listen="-h 127.0.0.1 -p $port"
    as_owner "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
        -o "-k $folder $listen $durability -c max_connections=200" \
        start >/dev/null || { cat "$folder/server.log" >&2; exit 1; }
    socket_port=${port:-5432}
    "$bin/psql" -h "$folder" -p "$socket_port" -U bridges -d postgres -qAt \
        -c "SELECT 1 FROM pg_database WHERE datname = 'bridges'" | grep -q 1 \
        || "$bin/createdb" -h "$folder" -p "$socket_port" -U bridges bridges
    if [ -n "$port" ]; then
        echo "postgres://bridges@127.0.0.1:$port/bridges?sslmode=disable"
    else
        echo "postgres://bridges@localhost/bridges?host=$folder"
    fi
    ;;
stop)
    [ -f "$folder/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$folder/data" -m fast -w stop >/dev/null
    ;;
*)
    echo "postgres-cluster: start or stop" >&2; exit 64
    ;;
esac
