#!/usr/bin/env python3
"""Tables of one METALIC protocol run (benchmarks/metalic-protocol.sh): the online rounds of each
study and the test instances of `metalic evaluate`, with paired comparisons against fixed arms.

    python3 benchmarks/protocol-report.py <directory> [--warm-up-rounds 25]   → markdown on stdout

Reads <directory>/<rule>.db (SQLite studies) and <directory>/evaluation.csv. Standard library only.
The paired comparison uses that every strategy is trained on the same instances with the same
seeds: per instance, the ratio of a strategy's error to the reference strategy's; its geometric
mean comes with a 95% bootstrap interval over instances (10 000 resamples, fixed seed)."""
import collections
import csv
import glob
import math
import os
import random
import sqlite3
import statistics
import sys


def online_rows(directory, early):
    rows = []
    for path in sorted(glob.glob(os.path.join(directory, "*.db"))):
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        errors = [e for (e,) in db.execute(
            "select error from trials where status = 'completed' order by round")]
        db.close()
        if not errors:
            continue
        late = errors[early:]
        rows.append((os.path.basename(path)[:-3], len(errors), sum(errors), sum(min(e, 1) for e in errors),
                     sum(e >= 1 for e in errors), sum(errors[:early]), sum(late),
                     statistics.median(late) if late else math.nan, sum(e < 1e-2 for e in late), len(late)))
    return rows


def test_errors(directory):
    """{strategy: {instance: (error, arms)}} from evaluation.csv (line 1 is the settings line)."""
    with open(os.path.join(directory, "evaluation.csv")) as f:
        settings = f.readline().strip()
        reader = csv.DictReader(f)
        out = {}
        for r in reader:
            out.setdefault(r["strategy"], {})[int(r["instance"])] = (float(r["error"]), r["arms"])
    return settings, out


def geometric_mean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def paired(a, b, rng):
    """Per-instance error ratios a/b on the instances both have: wins, losses, geometric mean, 95% CI."""
    common = sorted(set(a) & set(b))
    ratios = [a[i][0] / b[i][0] for i in common]
    logs = [math.log(r) for r in ratios]
    means = []
    for _ in range(10000):
        sample = [logs[rng.randrange(len(logs))] for _ in logs]
        means.append(sum(sample) / len(sample))
    means.sort()
    return (len(common), sum(r < 1 for r in ratios), sum(r > 1 for r in ratios),
            math.exp(sum(logs) / len(logs)), math.exp(means[249]), math.exp(means[9749]),
            statistics.median(ratios))


def main():
    directory = sys.argv[1]
    early = int(sys.argv[sys.argv.index("--warm-up-rounds") + 1]) if "--warm-up-rounds" in sys.argv else 25
    print("## Online rounds\n")
    print(f"Errors of each study's trials in round order; \"early\" is rounds 0–{early - 1} (the warm-up and "
          "the first online rounds, where the GP has few observations). A diverged training counts 100 "
          "(a NaN or an error above 100), so one of them can dominate the accumulated error; the column "
          "\"errors capped at 1\" counts every useless solution (error ≥ 1) as 1 instead.\n")
    print("| rule | rounds | accumulated error | accumulated, errors capped at 1 | trainings with error ≥ 1 | "
          "early | later: accumulated | later: median | later: rounds below 1e-2 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for rule, n, total, capped, failed, e, late, med, good, nlate in online_rows(directory, early):
        print(f"| {rule} | {n} | {total:.1f} | {capped:.1f} | {failed} | {e:.1f} | {late:.1f} | {med:.2e} | {good} / {nlate} |")

    settings, errors = test_errors(directory)
    counts = {s: len(v) for s, v in errors.items()}
    complete = set.intersection(*(set(v) for v in errors.values()))
    print("\n## Test instances\n")
    print(f"`evaluation.csv`: {settings.lstrip('# ')}. Instances with every strategy trained: {len(complete)}"
          + ("" if len(set(counts.values())) == 1 else f" (trainings per strategy: {counts})") + ".\n")
    print("| strategy | instances | mean error | median error | geometric mean | worst | errors > 0.1 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    table = []
    for s, v in errors.items():
        es = [v[i][0] for i in sorted(complete)]
        table.append((statistics.median(es), s, es))
    for med, s, es in sorted(table):
        print(f"| {s} | {len(es)} | {statistics.mean(es):.3e} | {med:.3e} | {geometric_mean(es):.3e} | "
              f"{max(es):.3e} | {sum(e > 0.1 for e in es)} |")

    only = lambda v: {i: v[i] for i in complete}
    fixed = [s for s in errors if s.startswith("fixed")]
    best = min(fixed, key=lambda s: geometric_mean([errors[s][i][0] for i in complete]))
    rng = random.Random(12345)
    print(f"\nPaired against the best fixed arm on these instances by geometric mean, **{best}** "
          "(ratio < 1: the strategy's error is smaller):\n")
    print("| strategy | instances | better | worse | geometric mean of error ratios (95% bootstrap) | median ratio |")
    print("|---|---:|---:|---:|---|---:|")
    for s in errors:
        if s == best:
            continue
        n, wins, losses, g, lo, hi, med = paired(only(errors[s]), only(errors[best]), rng)
        print(f"| {s} | {n} | {wins} | {losses} | {g:.2f} ({lo:.2f}–{hi:.2f}) | {med:.2f} |")

    learned = [s for s in errors if s.startswith("learned") or s.startswith("explore")]
    print("\nArms the learned strategies chose (number of test instances):\n")
    for s in learned:
        arms = collections.Counter(errors[s][i][1] for i in complete)
        listed = ", ".join(f"{{{a}}} {k}" for a, k in arms.most_common())
        print(f"- {s}: {listed}")


if __name__ == "__main__":
    main()
