#!/usr/bin/env bash
# The full 512-arm error landscape of two advection and two heat instances, at the
# budget of the METALIC protocol runs, so that the oracle arm is known. Resumable (landscape.csv
# is appended per arm). Studies in benchmarks/results/metalic/<family>/ that exist are ranked and
# highlighted; rerun after the studies finish to add them (no retraining).
#
#   bash benchmarks/landscapes.sh [adam] [lbfgs]   → benchmarks/results/landscapes/<instance>/
set -euo pipefail
cd "$(dirname "$0")/.."
adam=${1:-200}; lbfgs=${2:-500}
# METALIC=path/to/metalic runs a given binary (e.g. a frozen copy while the tree changes).
if [ -z "${METALIC:-}" ]; then swift build -c release --product metalic >/dev/null; fi
metalic=${METALIC:-.build/release/metalic}
run() {
    local family=$1 name=$2; shift 2
    local studies=()
    for db in benchmarks/results/metalic/"$family"/{ucb,ts,explore}.db; do [ -f "$db" ] && studies+=(--study "$db"); done
    mkdir -p benchmarks/results/landscapes/"$name"
    echo "== $name" >&2
    $metalic landscape "$family" "$@" --adam "$adam" --lbfgs "$lbfgs" --jobs 2 "${studies[@]}" \
        --out benchmarks/results/landscapes/"$name" > benchmarks/results/landscapes/"$name"/landscape.log
    sed -n '/^oracle/,$p' benchmarks/results/landscapes/"$name"/landscape.log
}
run advection advection-beta5 --param beta=5
run advection advection-beta15 --param beta=15
run heat heat-default --param a=1 --param b=0.5 --param c=-0.5 --param d=1
run heat heat-double --param a=2 --param b=1 --param c=-1 --param d=2
