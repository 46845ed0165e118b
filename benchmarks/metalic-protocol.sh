#!/usr/bin/env bash
# The METALIC protocol on one family (docs/BANDITS.md): online studies with UCB, Thompson sampling,
# explore and random (one arm per trial) and UCB in two-stage mode, all on the same sequence of
# instances (seed 1), then every learned model, a random arm and four fixed arms on the same test
# instances. Resumable: rerunning continues the studies where they stopped.
#
#   bash benchmarks/metalic-protocol.sh <family> [rounds] [adam] [lbfgs] [test-instances]
#        → benchmarks/results/metalic/<family>/{summary.md, *.db, evaluation.csv, accumulated-error.png}
#   OUT=<directory> bash benchmarks/metalic-protocol.sh …   writes there instead (another budget, say).
#   RULES="ucb ts random" bash benchmarks/metalic-protocol.sh …   runs only these studies (default
#       "ucb ts explore random ucb-step"; explore's online phase is random's, and `evaluate` tests a
#       random study's GP as the explore rule, so "random" alone gives both).
#
# The paper's protocol is 5 + 200 rounds at the reference budgets and 100 test instances:
# `bash benchmarks/metalic-protocol.sh advection 200 2000 20000 100` (6 h for advection, 2 days for Burgers on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
family=$1; rounds=${2:-200}; adam=${3:-2000}; lbfgs=${4:-20000}; contexts=${5:-100}
out=${OUT:-benchmarks/results/metalic/$family}
mkdir -p "$out"
# METALIC=path/to/metalic runs a given binary (e.g. a frozen copy while the tree changes).
if [ -z "${METALIC:-}" ]; then swift build -c release --product metalic >/dev/null; fi
metalic=${METALIC:-.build/release/metalic}
budget=(--warmup 5 --rounds "$rounds" --adam "$adam" --lbfgs "$lbfgs" --seed 1 --jobs 2)
studies=()
rules=${RULES:-ucb ts explore random ucb-step}
for rule in $rules; do
    if [ "$rule" = ucb-step ]; then args=(--heuristic ucb --mode step); else args=(--heuristic "$rule"); fi
    echo "== $family: $rule" >&2
    $metalic meta-train "$family" --study "$out/$rule.db" "${args[@]}" "${budget[@]}" >> "$out/$rule.log"
    tail -1 "$out/$rule.log" >&2
    studies+=(--study "$out/$rule.db")
done
# Fixed arms: the four of the accuracy table, plus — where landscapes of this family at this budget
# exist (benchmarks/landscapes.sh) — the arm with the best mean log error over those instances.
fixed=(--fixed-arm none --fixed-arm u --fixed-arm uavg,rc --fixed-arm all)
# (Line 1 of a landscape.csv: "adam=… lbfgs=…" before metalic 0.3, the training options as JSON since.)
landscapes=$(grep -lE "family=$family .*(adam=$adam lbfgs=$lbfgs |\"adamIterations\":$adam,.*\"lbfgsIterations\":$lbfgs,)" \
    benchmarks/results/landscapes/*/landscape.csv 2>/dev/null || true)
best_fixed=""
if [ -n "$landscapes" ]; then
    mask=$(awk -F, 'FNR > 2 && NF >= 5 { s[$1] += log($(NF-1)); n[$1]++ }
        END { files = ARGC - 1; b = -1; for (m in s) if (n[m] == files && (b < 0 || s[m] < s[b])) b = m; print b }' $landscapes)
    best_fixed=$(for i in 8 7 6 5 4 3 2 1 0; do printf %d $(( (mask >> i) & 1 )); done)
    case $mask in 0|160|256|511) ;; *) fixed+=(--fixed-arm "$best_fixed") ;; esac
fi
echo "== $family: evaluation on $contexts instances" >&2
$metalic evaluate "$family" "${studies[@]}" "${fixed[@]}" --contexts "$contexts" --jobs 2 --out "$out" > "$out/evaluation.log"
{
    echo "# METALIC protocol: $family"
    echo
    echo "$(date -u +%F), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))."
    echo "Command: \`${OUT:+OUT=$OUT }bash benchmarks/metalic-protocol.sh $family $rounds $adam $lbfgs $contexts\`"
    echo "(5 warm-up + $rounds online rounds per rule, $adam Adam + ≤ $lbfgs L-BFGS iterations per training, forward protocol, $contexts test instances)."
    echo
    echo "## Online rounds"
    echo
    echo "| rule | study summary |"
    echo "|---|---|"
    for rule in $rules; do echo "| $rule | $(tail -1 "$out/$rule.log" | sed 's/^study [^:]*: //') |"; done
    echo
    echo "![accumulated error](accumulated-error.png)"
    echo
    echo "## Test instances"
    echo
    if [ -n "$best_fixed" ]; then
        echo "Best fixed arm of the landscapes ($(echo $landscapes | xargs -n1 dirname | xargs -n1 basename | paste -sd, -)): $best_fixed."
        echo
    fi
    sed -n '/^| strategy/,/^$/p' "$out/evaluation.log"
} > "$out/summary.md"
cat "$out/summary.md"
