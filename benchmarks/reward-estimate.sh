#!/usr/bin/env bash
# The error estimate against the true error on the four committed 512-arm landscapes
# (benchmarks/landscapes.sh: same instances, 200 Adam + 500 L-BFGS, seed 0): every arm is
# retrained and both are recorded, then benchmarks/reward-estimate-report.py writes the table
# (Spearman correlation, where the estimate's best arm ranks, top-10 overlap, agreement of the
# retrained errors with the committed ones). Resumable: each instance's CSV grows one arm at a time.
#
#   nice -n 10 bash benchmarks/reward-estimate.sh [jobs]   → benchmarks/results/reward-estimate/<instance>.csv
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-2}
# REWARD_ESTIMATE=path runs a given binary (e.g. a frozen copy while the tree changes).
if [ -z "${REWARD_ESTIMATE:-}" ]; then swift build -c release --product reward-estimate >/dev/null; fi
bin=${REWARD_ESTIMATE:-.build/release/reward-estimate}
out=benchmarks/results/reward-estimate
mkdir -p "$out"
run() {
    local family=$1 name=$2; shift 2
    echo "== $name" >&2
    $bin "$family" "$out/$name.csv" "$@" --adam 200 --lbfgs 500 --seed 0 --jobs "$jobs" --limit "$limit"
}
# Round robin, 32 arms per instance at a time (in each instance's fixed random order), so that
# a partial run has a uniform sample of every landscape.
limit=32
for round in $(seq 1 16); do
    run advection advection-beta5 --param beta=5
    run heat heat-default --param a=1 --param b=0.5 --param c=-0.5 --param d=1
    run advection advection-beta15 --param beta=15
    run heat heat-double --param a=2 --param b=1 --param c=-1 --param d=2
done
python3 benchmarks/reward-estimate-report.py > /dev/null
