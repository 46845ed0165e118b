#!/usr/bin/env bash
# The METALIC protocol on one family (issue 6): online studies with UCB, Thompson sampling,
# explore and random (one arm per trial) and UCB in two-stage mode, all on the same sequence of
# instances (seed 1), then every learned model, a random arm and four fixed arms on the same test
# instances. Resumable: rerunning continues the studies where they stopped.
#
#   bash benchmarks/metalic-protocol.sh <family> [rounds] [adam] [lbfgs] [test-instances]
#        → benchmarks/results/metalic/<family>/{summary.md, *.db, evaluation.csv, accumulated-error.png}
#
# The paper's protocol is 5 + 200 rounds at the reference budgets and 100 test instances:
# `bash benchmarks/metalic-protocol.sh advection 200 2000 20000 100` (days on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
family=$1; rounds=${2:-200}; adam=${3:-2000}; lbfgs=${4:-20000}; contexts=${5:-100}
out=benchmarks/results/metalic/$family
mkdir -p "$out"
# METALIC=path/to/metalic runs a given binary (e.g. a frozen copy while the tree changes).
if [ -z "${METALIC:-}" ]; then swift build -c release --product metalic >/dev/null; fi
metalic=${METALIC:-.build/release/metalic}
budget=(--warmup 5 --rounds "$rounds" --adam "$adam" --lbfgs "$lbfgs" --seed 1 --jobs 2)
studies=()
for rule in ucb ts explore random ucb-step; do
    if [ "$rule" = ucb-step ]; then args=(--heuristic ucb --mode step); else args=(--heuristic "$rule"); fi
    echo "== $family: $rule" >&2
    $metalic meta-train "$family" --study "$out/$rule.db" "${args[@]}" "${budget[@]}" > "$out/$rule.log"
    tail -1 "$out/$rule.log" >&2
    studies+=(--study "$out/$rule.db")
done
echo "== $family: evaluation on $contexts instances" >&2
$metalic evaluate "$family" "${studies[@]}" --contexts "$contexts" --jobs 2 --out "$out" > "$out/evaluation.log"
{
    echo "# METALIC protocol: $family"
    echo
    echo "$(date -u +%F), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))."
    echo "Command: \`bash benchmarks/metalic-protocol.sh $family $rounds $adam $lbfgs $contexts\`"
    echo "(5 warm-up + $rounds online rounds per rule, $adam Adam + ≤ $lbfgs L-BFGS iterations per training, forward protocol, $contexts test instances)."
    echo
    echo "## Online rounds"
    echo
    echo "| rule | study summary |"
    echo "|---|---|"
    for rule in ucb ts explore random ucb-step; do echo "| $rule | $(tail -1 "$out/$rule.log" | sed 's/^study [^:]*: //') |"; done
    echo
    echo "![accumulated error](accumulated-error.png)"
    echo
    echo "## Test instances"
    echo
    sed -n '/^| strategy/,/^$/p' "$out/evaluation.log"
} > "$out/summary.md"
cat "$out/summary.md"
