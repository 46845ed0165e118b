#!/usr/bin/env bash
# Float32 vs Float64 derivative engine on whole trainings: relative L2 error and training time of
# the same solves (same seeds, points and initial weights) in both precisions, forward protocol,
# arms {u} and {all}, seeds 0 and 1, for advection, Burgers, KdV and heat.
#
#   bash benchmarks/precision-comparison.sh [adam] [lbfgs]   → benchmarks/results/precision-comparison.md
set -euo pipefail
cd "$(dirname "$0")/.."
adam=${1:-1000}; lbfgs=${2:-3000}
swift build -c release --product metalic >/dev/null
work=$(mktemp -d)
out=benchmarks/results/precision-comparison.md
{
    echo "# Float32 vs Float64 engine: error and time of the same trainings"
    echo
    echo "$(date -u +%F), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), two threads (one per subdomain network)."
    echo
    echo "Command: \`bash benchmarks/precision-comparison.sh $adam $lbfgs\` ($adam Adam + ≤ $lbfgs L-BFGS iterations, forward protocol)"
    echo
    echo "| family | instance | arm | seed | error f64 | error f32 | f32 / f64 error | seconds f64 | seconds f32 | speed-up |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
} > "$out"
for spec in "advection beta=10" "burgers nu=0.01" "kdv c=6" "heat a=1 b=0.5 c=-0.5 d=1"; do
    set -- $spec
    family=$1; shift
    params=(); for p in "$@"; do params+=(--param "$p"); done
    for arm in u all; do
        for seed in 0 1; do
            for precision in float64 float32; do
                .build/release/metalic solve "$family" "${params[@]}" --arm "$arm" --adam "$adam" --lbfgs "$lbfgs" \
                    --seed "$seed" --precision "$precision" --out "$work/$family-$arm-$seed-$precision" --quiet >/dev/null
            done
            python3 - "$work/$family-$arm-$seed" "$family" "$*" "$arm" "$seed" >> "$out" <<'PY'
import json, sys
base, family, instance, arm, seed = sys.argv[1:]
d, f = (json.load(open(f"{base}-{p}/summary.json")) for p in ("float64", "float32"))
print(f"| {family} | {instance} | {arm} | {seed} | {d['error']:.3g} | {f['error']:.3g} | {f['error'] / d['error']:.2f} | "
      f"{d['trainingSeconds']:.1f} | {f['trainingSeconds']:.1f} | {d['trainingSeconds'] / f['trainingSeconds']:.2f}× |")
PY
            tail -1 "$out"
        done
    done
done
echo >> "$out"
echo "Seconds are the training's wall time (both stages, including the error evaluations every (adam + lbfgs)/200 iterations)." >> "$out"
