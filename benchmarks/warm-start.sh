#!/usr/bin/env bash
# Warm starts from a study (docs/STUDIES.md, "Warm starts"): for each family, a study of 50
# trials at 1000 Adam + 3000 L-BFGS is built cold (every completed trial stores its trained
# networks), then 20 fresh instances — a golden-ratio sequence over the parameter range, so that
# any first n of them are spread out, none of them a study context — are solved twice with the study's arm and the same seed: from fresh networks (cold) and
# from the nearest trial's networks (`solve --study S --warm-start`). Compared: final error at
# equal budget, and the iterations the warm start needs to reach the cold start's final error
# (from loss.csv: the error is recorded every max(1, (adam+lbfgs)/200) = 20 iterations).
# Resumable: finished instances are skipped. STUDY=0 skips building the study (tests against the
# trials completed so far: a partial run when time is short; a resumed meta-train would change the
# study under instances already solved). FIRST=k starts at instance k (with TESTS as the end:
# two processes can share the instances without working on the same one).
#
#   bash benchmarks/warm-start.sh run advection     → benchmarks/results/warm-start/advection/
#   bash benchmarks/warm-start.sh summary           → the markdown table (stdout)
set -euo pipefail
cd "$(dirname "$0")/.."
# METALIC=path/to/metalic runs a given binary (e.g. a frozen copy while the tree changes).
if [ -z "${METALIC:-}" ]; then swift build -c release --product metalic >/dev/null; fi
metalic=${METALIC:-.build/release/metalic}
adam=${ADAM:-1000}; lbfgs=${LBFGS:-3000}; trials=${TRIALS:-50}; tests=${TESTS:-20}
results=benchmarks/results/warm-start

range() {
    case $1 in
        advection) echo "beta 1 30" ;;
        burgers) echo "nu 0.001 0.05" ;;
        *) echo "no range for $1" >&2; exit 1 ;;
    esac
}

run() {
    local family=$1 dir=$results/$1
    read -r name lo hi < <(range "$family")
    mkdir -p "$dir"
    if [ "${STUDY:-1}" != 0 ]; then
        echo "== $family: study of $trials trials ($(date -u +%H:%M))" >&2
        $metalic meta-train "$family" --study "$dir/study.db" --warmup 5 --rounds $((trials - 5)) \
            --adam "$adam" --lbfgs "$lbfgs" --warm-start cold --quiet >> "$dir/study.log"
    fi
    for ((i = ${FIRST:-0}; i < tests; i++)); do
        local value
        value=$(awk -v lo="$lo" -v hi="$hi" -v i="$i" 'BEGIN { f = 0.5 + i * 0.6180339887498949; printf "%.6g", lo + (f - int(f)) * (hi - lo) }')
        for start in cold warm; do
            local out=$dir/test-$i-$start
            [ -f "$out/loss.csv" ] && continue
            local flag=(); [ $start = warm ] && flag=(--warm-start)
            $metalic solve "$family" --param "$name=$value" --study "$dir/study.db" "${flag[@]}" \
                --adam "$adam" --lbfgs "$lbfgs" --seed 1 --out "$out.tmp" > "$dir/test-$i-$start.log"
            rm -f "$out.tmp"/*.png "$out.tmp/solution.csv" "$out.tmp/model.json"
            rm -rf "$out"; mv "$out.tmp" "$out"
        done
        echo "   $family instance $i ($name=$value) done ($(date -u +%H:%M))" >&2
    done
}

summary() {
    python3 - "$results" "$adam" "$lbfgs" <<'PY'
import csv, os, re, sqlite3, statistics, sys
results, adam, lbfgs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
budget = adam + lbfgs
every = max(1, budget // 200)  # solve's errorEvery: the first record of loss.csv
def history(path):
    return [(int(r["iteration"]), float(r["error"])) for r in csv.DictReader(open(path)) if r["error"]]
details = {}
print("| family | study trials | instances | cold: median final error | warm: median final error | warm better | median warm/cold error | iterations for warm to reach cold's final error: median | worst |")
print("|---|---|---|---|---|---|---|---|---|")
for family in sorted(os.listdir(results)):
    d = os.path.join(results, family)
    if not os.path.isdir(d): continue
    cold, warm, ratio, reach, better = [], [], [], [], 0
    rows = details.setdefault(family, [])
    for i in range(1000):
        c, w = (os.path.join(d, f"test-{i}-{s}", "loss.csv") for s in ("cold", "warm"))
        if not (os.path.exists(c) and os.path.exists(w)): continue
        hc, hw = history(c), history(w)
        target = hc[-1][1]
        cold.append(target); warm.append(hw[-1][1]); ratio.append(hw[-1][1] / target)
        better += hw[-1][1] < target
        # Stage-end records repeat an iteration; the first record at or below the target counts.
        hit = next((it for it, e in hw if e <= target), None)
        reach.append(hit if hit is not None else float("inf"))
        log = open(os.path.join(d, f"test-{i}-warm.log")).read()
        instance = re.search(r"solving \S+ (\S+=\S+)", log)
        source = re.search(r"warm start from trial \d+ \(round (\d+), (\S+=\S+?),? arm (\S+), error (\S+) there", log)
        rows.append(f"| {family} | {instance.group(1) if instance else '?'} | "
                    f"{'round ' + source.group(1) + ', ' + source.group(2) + ', arm ' + source.group(3) + ', error ' + source.group(4) if source else '?'} | "
                    f"{hc[0][1]:.3e} | {hw[0][1]:.3e} | {target:.3e} | {hw[-1][1]:.3e} | {reach[-1] if reach[-1] != float('inf') else 'not reached'} |")
    if not cold: continue
    db = sqlite3.connect(f"file:{os.path.join(d, 'study.db')}?mode=ro", uri=True)
    studied = db.execute("SELECT count(*) FROM trials WHERE status = 'completed' AND parameters IS NOT NULL").fetchone()[0]
    fmt = lambda x: "not reached" if x == float("inf") else str(int(x))
    worst = max(reach)
    print(f"| {family} | {studied} | {len(cold)} | {statistics.median(cold):.3e} | {statistics.median(warm):.3e} | {better}/{len(cold)} | "
          f"{statistics.median(ratio):.2f} | {fmt(statistics.median(reach))} of {budget} | {fmt(worst)} |")
print()
print(f"| family | instance | warm start from (study trial) | cold error at iteration {every} | warm error at iteration {every} | cold final error | warm final error | iterations for warm to reach cold's final error |")
print("|---|---|---|---|---|---|---|---|")
for family in sorted(details):
    for row in details[family]: print(row)
PY
}

case ${1:-} in
    run) shift; families=("$@"); [ ${#families[@]} -gt 0 ] || families=(advection burgers)
         for family in "${families[@]}"; do run "$family"; done ;;
    summary) summary ;;
    *) echo "usage: $0 run [family…] | summary" >&2; exit 1 ;;
esac
