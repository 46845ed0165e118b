#!/usr/bin/env bash
# Builds the example package that runs the metalic command line with a family of its own
# (examples/custom-family), and checks that every subcommand sees that family: it is listed,
# solved, and meta-trained for two rounds. Debug build: the trainings are tiny.
set -euo pipefail
cd "$(dirname "$0")/../examples/custom-family"
if ! swift build --product my-metalic; then
    # SwiftPM can keep a stale plan of the parent package (a file deleted there is still listed as
    # an input): retry once from a clean build, which reports any real error.
    echo "== retrying examples/custom-family from a clean build" >&2
    rm -rf .build
    swift build --product my-metalic
fi
bin=$(swift build --show-bin-path)/my-metalic
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" families | grep -q '^decay$' || { echo "my-metalic families does not list decay" >&2; exit 1; }
"$bin" solve decay --param k=2 --arm u --adam 30 --lbfgs 10 --quiet --out "$work/solve" >/dev/null
grep -q '"family" *: *"decay"' "$work/solve/summary.json" || { echo "solve decay wrote no summary for decay" >&2; exit 1; }
"$bin" meta-train decay --storage "sqlite:///$work/decay.db" --warmup 1 --rounds 1 --adam 20 --lbfgs 5 >/dev/null
"$bin" study trials --storage "sqlite:///$work/decay.db" --format csv | awk -F, 'NR > 1 && $2 == "completed" { n++ } END { exit n == 2 ? 0 : 1 }' \
    || { echo "the decay study did not complete its two rounds" >&2; exit 1; }
echo "examples/custom-family: my-metalic lists, solves and meta-trains the decay family"
