#!/usr/bin/env bash
# One study rewarded by the error estimate instead of the true error, at the reduced budget of
# benchmarks/metalic-protocol.sh, compared on test instances by the TRUE error with the study
# rewarded by the true error (benchmarks/results/metalic/<family>/ucb.db, same family, rounds,
# budget and seed). The estimate-rewarded study is run by `metalic-without-reference`, the
# metalic command line with the families' reference solutions hidden; `metalic evaluate` (with
# them) then trains the learned arms of both studies, {u} and a random arm on the same instances.
#
#   bash benchmarks/estimate-protocol.sh [family] [rounds] [adam] [lbfgs] [test-instances]
#        → benchmarks/results/estimate-protocol/<family>/{ucb-estimate.db, evaluation.csv, summary.md}
set -euo pipefail
cd "$(dirname "$0")/.."
family=${1:-heat}; rounds=${2:-200}; adam=${3:-200}; lbfgs=${4:-500}; contexts=${5:-20}
out=benchmarks/results/estimate-protocol/$family
mkdir -p "$out"
# METALIC / WITHOUT_REFERENCE = paths to given binaries (e.g. frozen copies while the tree changes).
if [ -z "${METALIC:-}${WITHOUT_REFERENCE:-}" ]; then swift build -c release --product metalic >/dev/null; swift build -c release --product metalic-without-reference >/dev/null; fi
metalic=${METALIC:-.build/release/metalic}
without=${WITHOUT_REFERENCE:-.build/release/metalic-without-reference}
reference_study=benchmarks/results/metalic/$family/ucb.db
echo "== $family: UCB rewarded by the error estimate" >&2
$without meta-train "$family" --study "$out/ucb-estimate.db" --heuristic ucb --warmup 5 --rounds "$rounds" \
    --adam "$adam" --lbfgs "$lbfgs" --seed 1 --jobs 2 > "$out/ucb-estimate.log"
tail -1 "$out/ucb-estimate.log" >&2
echo "== $family: evaluation by the true error on $contexts instances" >&2
$metalic evaluate "$family" --study "$out/ucb-estimate.db" --study "$reference_study" --fixed-arm u \
    --contexts "$contexts" --jobs 2 --out "$out" > "$out/evaluation.log"
{
    echo "# A study rewarded by the error estimate: $family"
    echo
    echo "$(date -u +%F), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))."
    echo "Command: \`bash benchmarks/estimate-protocol.sh $family $rounds $adam $lbfgs $contexts\`"
    echo "(UCB, 5 warm-up + $rounds rounds, $adam Adam + ≤ $lbfgs L-BFGS iterations, seed 1; test errors are true relative L2 errors)."
    echo
    echo "Online (errors are the estimate): $(tail -1 "$out/ucb-estimate.log" | sed 's/^study [^:]*: //')"
    echo
    sed -n '/^| strategy/,/^$/p' "$out/evaluation.log"
} > "$out/summary.md"
cat "$out/summary.md"
