#!/usr/bin/env bash
# metalic vs a PyTorch implementation of the identical XPINN loss (benchmarks/pytorch), same run,
# same machine: ms per Adam and per L-BFGS iteration for advection, Burgers and KdV at the
# reference configuration, arm {all nine} and arm {u}, metalic in Float64 and in Float32; plus a
# check that both compute the same loss on the same weights and points (Float64 to 1e-10, and
# metalic's Float32 engine against PyTorch's Float64 to 1e-5).
#
#   bash benchmarks/speed-comparison.sh [iterations]      → benchmarks/results/speed-comparison.md
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-200}
bash scripts/setup.sh
bash benchmarks/pytorch/setup.sh >/dev/null
PY=benchmarks/.venv/bin/python
swift build -c release --product training-benchmark --product export-problem >/dev/null
work=$(mktemp -d)
declare -A params=([advection]="beta=10" [burgers]="nu=0.01" [kdv]="c=6")
for f in advection burgers kdv; do
    .build/release/export-problem "$f" all "$work/$f.json" --param "${params[$f]}" >/dev/null
    $PY benchmarks/pytorch/xpinn_baseline.py "$work/$f.json" --check > "$work/$f.check"
    .build/release/export-problem "$f" all "$work/$f-f32.json" --precision float32 --param "${params[$f]}" >/dev/null
    $PY benchmarks/pytorch/xpinn_baseline.py "$work/$f-f32.json" --check --tolerance 1e-5 > "$work/$f-f32.check"
    for arm in 111111111 100000000; do
        $PY benchmarks/pytorch/xpinn_baseline.py "$work/$f.json" --time --both-modes --arm "$arm" \
            --iterations "$((iterations / 2))" --rounds 2 | tail -1 > "$work/$f-$arm.torch.json"
    done
done
.build/release/training-benchmark "$iterations" | tail -1 > "$work/metalic.json"
$PY benchmarks/pytorch/merge_speed.py "$work" "$iterations" | tee benchmarks/results/speed-comparison.md
