#!/usr/bin/env bash
# Trial throughput of `metalic meta-train` worker processes on one study, per store, study size
# and number of worker processes, with trainings so cheap (1 Adam iteration on `reaction`) that
# the store and the GP dominate; then the plan closure's cost at each study size.
#
#     swift build -c release --product metalic && swift build -c release --product study-throughput
#     bash benchmarks/study-throughput.sh [BIN_DIR]        # BIN_DIR: .build/release by default
#
# Environment: TRIALS (study sizes n, "200 1000"), WORKERS ("1 2 4"), EXTRA (rounds the workers
# run after the n filled ones, 30), STORES ("sqlite postgresql"; "" for the plan table alone),
# PLAN (1, the default: also time the plan closure, once, on SQLite), METALIC (the metalic
# binary, default BIN_DIR/metalic: point it at another build to compare). For each (store, n,
# workers) a new study is filled with n synthetic completed trials by `study-throughput fill`,
# then `study-throughput run` starts the worker processes and prints a row. PostgreSQL runs through scripts/with-postgres.sh (a throwaway
# server); SQLite uses a file in a temporary directory. Prints Markdown on stdout.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$here/.build/release}" && pwd)
metalic=${METALIC:-$bin/metalic}
trials=${TRIALS:-200 1000}
workers=${WORKERS:-1 2 4}
extra=${EXTRA:-30}
stores=${STORES-sqlite postgresql}
plan=${PLAN:-1}
bench="$bin/study-throughput"

if [ "${STUDY_THROUGHPUT_INNER:-}" = "" ]; then
    echo "Date: $(date -u +%Y-%m-%dT%H:%MZ). Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores."
    echo "metalic: $metalic ($("$metalic" --version 2>/dev/null || echo '?'))."
    echo "Command: TRIALS=\"$trials\" WORKERS=\"$workers\" EXTRA=$extra STORES=\"$stores\" bash benchmarks/study-throughput.sh"
    echo
fi

table() {   # store URL-maker
    local store=$1 url
    echo "Load before ($store): $(uptime | sed 's/.*load average/load average/')"
    echo
    "$bench" run-header
    for n in $trials; do
        for w in $workers; do
            local name="n$n-w$w-$$"
            url=$(storage "$store")
            "$bench" fill --storage "$url" --study "$name" --trials "$n" --extra "$extra" 2>/dev/null
            "$bench" run --storage "$url" --study "$name" --workers "$w" --metalic "$metalic" --logs "$logs"
        done
    done
    echo
    echo "Load after ($store): $(uptime | sed 's/.*load average/load average/')"
    echo
}

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
for store in $stores; do
    case $store in
    sqlite)
        storage() { echo "sqlite:///$logs/studies.db"; }
        table sqlite ;;
    postgresql)
        if [ -z "${METALIC_TEST_POSTGRES_URL:-}" ]; then
            STUDY_THROUGHPUT_INNER=1 TRIALS="$trials" WORKERS="$workers" EXTRA=$extra STORES=postgresql PLAN=$plan \
                METALIC="$metalic" bash "$here/scripts/with-postgres.sh" bash "$0" "$bin"
        else
            storage() { echo "$METALIC_TEST_POSTGRES_URL"; }
            table postgresql
        fi ;;
    *) echo "unknown store $store (sqlite, postgresql)" >&2; exit 2 ;;
    esac
done

# The plan closure does not depend on the store (it runs on the trials read under the lock).
if [ "$plan" = 1 ] && [ "${STUDY_THROUGHPUT_INNER:-}" = "" ]; then
    echo "Plan closure (the library's StudyModel; median of 3; m = trials completed since the worker's last update, m running elsewhere). Load: $(uptime | sed 's/.*load average/load average/')"
    echo
    header=1
    for n in $trials; do
        "$bench" fill --storage "sqlite:///$logs/plan.db" --study "plan-n$n" --trials "$n" --extra 1 2>/dev/null
        if [ $header = 1 ]; then "$bench" plan --storage "sqlite:///$logs/plan.db" --study "plan-n$n"; header=0
        else "$bench" plan --storage "sqlite:///$logs/plan.db" --study "plan-n$n" | tail -n +3; fi
    done
    echo
fi
