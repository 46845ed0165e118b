"""Merges the metalic and PyTorch timings of speed-comparison.sh into one markdown table."""
import json, os, platform, subprocess, sys, datetime

work, iterations = sys.argv[1], sys.argv[2]
ours = {(r["family"], r["arm"], r.get("precision", "float64")): r for r in json.load(open(os.path.join(work, "metalic.json")))["results"]}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"# Speed: metalic vs PyTorch (nested autograd), same run\n")
print(f"{datetime.date.today()}, {os.cpu_count()} cores ({cpu}), one BLAS/torch thread per process; "
      f"metalic runs its two subdomain networks on two threads.\n")
print(f"Command: `bash benchmarks/speed-comparison.sh {iterations}`\n")
for heading, suffix in [("Loss check (Float64, same weights and points, arm all, reference protocol):", ".check"),
                        ("\nLoss check of metalic's Float32 engine against PyTorch Float64 (same weights and points, arm all):", "-f32.check")]:
    print(heading + "\n")
    for f in ["advection", "burgers", "kdv"]:
        lines = open(os.path.join(work, f + suffix)).read().strip().splitlines()
        print(f"- {f}: " + (lines[-2] if len(lines) > 1 else "no output"))
print()
print("| family | arm | metalic Adam ms | metalic L-BFGS ms | metalic f32 Adam ms | torch f64 Adam ms (enabled terms) | torch f32 Adam ms (all nine computed, as the reference) | ratio f64 | ratio f32 (both Float32) | ratio torch f32 / metalic f64 | torch f64 L-BFGS ms | ratio L-BFGS | metalic Adam ms, one thread | metalic f32 Adam ms, one thread | ratio f64, one thread |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for f in ["advection", "burgers", "kdv"]:
    for arm, name in [("111111111", "all"), ("100000000", "u")]:
        t = json.load(open(os.path.join(work, f"{f}-{arm}.torch.json")))["results"]
        def pick(dtype, all_terms, key):
            for r in t:
                if r["dtype"] == dtype and r["all_terms"] == all_terms:
                    return r[key]
            return float("nan")
        o, o32 = ours[(f, arm, "float64")], ours[(f, arm, "float32")]
        a64 = pick("float64", False, "adam_cpu_ms")
        a32 = pick("float32", True, "adam_cpu_ms")
        l64 = pick("float64", False, "lbfgs_cpu_ms")
        print(f"| {f} | {name} | {o['adam_ms']:.2f} | {o['lbfgs_ms']:.2f} | {o32['adam_ms']:.2f} | {a64:.2f} | {a32:.2f} | "
              f"{a64 / o['adam_ms']:.1f}× | {a32 / o32['adam_ms']:.1f}× | {a32 / o['adam_ms']:.1f}× | {l64:.2f} | {l64 / o['lbfgs_ms']:.1f}× | "
              f"{o['adam_one_thread_ms']:.2f} | {o32['adam_one_thread_ms']:.2f} | {a64 / o['adam_one_thread_ms']:.1f}× |")
print("\nPyTorch times are the median thread-CPU time per iteration (torch.set_num_threads(1)); metalic's are wall-clock, "
      "with the two subdomain networks on two threads, and (last columns) on one thread.")
