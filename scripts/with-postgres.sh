#!/usr/bin/env bash
# Runs a command next to a throwaway PostgreSQL server:
#
#     bash scripts/with-postgres.sh swift test --filter StudyStoreTests
#
# Installs PostgreSQL from Debian's packages if it is missing, creates a cluster in a new
# temporary directory, starts it on 127.0.0.1 at a free port (its Unix socket in the same
# directory), runs the command with
#     METALIC_TEST_POSTGRES_URL      postgresql://postgres@127.0.0.1:PORT/postgres
#     METALIC_TEST_POSTGRES_DATADIR  the cluster's data directory (for pg_ctl restart)
#     METALIC_TEST_POSTGRES_BINDIR   the directory of pg_ctl
# and stops the server and removes the directory when the command ends, whatever its outcome.
# Exits with the command's status.
#
# initdb and postgres refuse to run as root: as root the cluster belongs to the `postgres` user
# that Debian's package creates (commands run through runuser); otherwise to the current user.
# The server is for tests only: trust authentication on loopback, and no fsync (a crash of the
# machine may lose it, which does not matter for a cluster that is deleted afterwards).
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGUMENT...]" >&2
    exit 2
fi

bindir() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$found" ] && [ -x "$found/initdb" ]; then echo "$found"; fi
}

bin=$(bindir)
if [ -z "$bin" ]; then
    echo "== with-postgres: installing PostgreSQL (Debian package 'postgresql')" >&2
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null; then
            echo "with-postgres: PostgreSQL is not installed and this user cannot install it; run: apt-get install postgresql" >&2
            exit 1
        fi
        SUDO="sudo"
    fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
    bin=$(bindir)
    if [ -z "$bin" ]; then
        echo "with-postgres: installed 'postgresql' but found no /usr/lib/postgresql/*/bin/initdb" >&2
        exit 1
    fi
fi

if [ "$(id -u)" -eq 0 ]; then
    owner=postgres
    if ! id "$owner" >/dev/null 2>&1; then
        useradd --system --home-dir /var/lib/postgresql --shell /bin/bash "$owner"
    fi
    as_owner() { runuser -u "$owner" -- "$@"; }
else
    owner=$(id -un)
    as_owner() { "$@"; }
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/metalic-postgres.XXXXXX")
data="$dir/data"
cleanup() {
    as_owner "$bin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
chmod 700 "$dir"
if [ "$(id -u)" -eq 0 ]; then chown "$owner" "$dir"; fi

if ! as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync \
        >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    echo "with-postgres: initdb failed" >&2
    exit 1
fi

# A free port: try random ones until the server starts (another process may take a port
# between any check and the start, so the start itself is the test).
started=""
for _ in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi  # something listens there
    if as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
            -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=200" \
            start >/dev/null 2>&1; then
        started=yes
        break
    fi
done
if [ -z "$started" ]; then
    cat "$dir/server.log" >&2 || true
    echo "with-postgres: the PostgreSQL server did not start" >&2
    exit 1
fi

export METALIC_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/postgres"
export METALIC_TEST_POSTGRES_DATADIR="$data"
export METALIC_TEST_POSTGRES_BINDIR="$bin"
echo "== with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') at $METALIC_TEST_POSTGRES_URL (data in $data)" >&2

set +e
"$@"
status=$?
set -e
exit "$status"
