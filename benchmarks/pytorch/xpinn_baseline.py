#!/usr/bin/env python3
"""PyTorch baseline for the metalic XPINN loss (docs/METHOD.md, docs/INTERFACE-CONDITIONS.md).

Reads a problem JSON written by `swift run -c release export-problem ...` (or by
make_test_problem.py), rebuilds the same networks with the same flat parameters and
evaluates the identical loss with nested torch.autograd.grad (create_graph=True), the way
the authors' reference implementation computes its derivatives.

  xpinn_baseline.py PROBLEM.json --check        # our loss vs PyTorch Float64, per term
  xpinn_baseline.py PROBLEM.json --time [--all-terms] [--iterations N] [--warmup W]
  xpinn_baseline.py --self-test                 # autograd derivatives vs finite differences

--time prints ms per Adam and per L-BFGS iteration in Float32 and Float64 (one thread,
median over N iterations after warm-up) and ends with one JSON line of results.
"""
import argparse
import json
import math
import statistics
import sys
import time

import torch

CONDITIONS = ["u", "uavg", "residual", "rc", "flux", "uyy", "gres", "ux", "uxx"]


# --------------------------------------------------------------------------------------
# Networks


class Network:
    """tanh MLP; inputs mapped affinely from the box [lower, upper] to [-1, 1]; linear output.

    Flat parameter layout per layer l: W_l (out x in, row-major) then b_l; applied as h W_l^T + b_l.
    """

    def __init__(self, spec, dtype):
        self.widths = [int(w) for w in spec["widths"]]
        self.lower = torch.tensor(spec["lower"], dtype=dtype)
        self.upper = torch.tensor(spec["upper"], dtype=dtype)
        flat = torch.tensor(spec["parameters"], dtype=dtype)
        expected = sum(o * i + o for i, o in zip(self.widths[:-1], self.widths[1:]))
        if flat.numel() != expected:
            raise ValueError(f"network with widths {self.widths} needs {expected} parameters, got {flat.numel()}")
        self.params = []
        k = 0
        for i, o in zip(self.widths[:-1], self.widths[1:]):
            W = flat[k:k + o * i].reshape(o, i).clone().requires_grad_(True)
            k += o * i
            b = flat[k:k + o].clone().requires_grad_(True)
            k += o
            self.params += [W, b]

    def __call__(self, X):
        h = 2.0 * (X - self.lower) / (self.upper - self.lower) - 1.0
        n = len(self.params) // 2
        for l in range(n):
            W, b = self.params[2 * l], self.params[2 * l + 1]
            h = h @ W.T + b
            if l < n - 1:
                h = torch.tanh(h)
        return h[:, 0]


class Evaluation:
    """A network on one point set, with partial derivatives d(i, j) = ∂^i_x ∂^j_y u by nested autograd."""

    def __init__(self, net, points):
        self.x = points[:, 0].clone().requires_grad_(True)
        self.y = points[:, 1].clone().requires_grad_(True)
        self.cache = {(0, 0): net(torch.stack([self.x, self.y], dim=1))}

    def prepare(self, indices):
        """Compute the requested multi-indices (and their downward closure along the chosen
        paths), one autograd.grad call per parent with all of its needed children at once."""
        need = set()
        for (i, j) in indices:
            while (i, j) not in need and (i, j) != (0, 0):
                need.add((i, j))
                i, j = (i - 1, j) if i > 0 else (i, j - 1)
        for deg in range(1, 1 + max([i + j for i, j in need], default=0)):
            children = {}
            for (i, j) in need:
                if i + j == deg and (i, j) not in self.cache:
                    parent = (i - 1, j) if i > 0 else (i, j - 1)
                    children.setdefault(parent, []).append((i, j))
            for parent, kids in sorted(children.items()):
                axes = sorted({0 if k[0] > parent[0] else 1 for k in kids})
                grads = torch.autograd.grad(self.cache[parent].sum(), [self.x if a == 0 else self.y for a in axes],
                                            create_graph=True)
                for a, g in zip(axes, grads):
                    self.cache[(parent[0] + 1, parent[1]) if a == 0 else (parent[0], parent[1] + 1)] = g

    def d(self, i, j):
        if (i, j) not in self.cache:
            self.prepare([(i, j)])
        return self.cache[(i, j)]

    def grad_of(self, f):
        """(∂f/∂x, ∂f/∂y) of a pointwise quantity f by one more autograd.grad (gPINN)."""
        fx, fy = torch.autograd.grad(f.sum(), [self.x, self.y], create_graph=True)
        return fx, fy


# --------------------------------------------------------------------------------------
# Families: residual f = N[u], the flux across an interface, and which derivatives f needs.


def _poisson_bump(s, z):
    return torch.erf(s * (z - 0.25)) - torch.erf(s * (z - 0.75))


class Family:
    def __init__(self, name, params):
        self.name = name
        self.p = {k: float(v) for k, v in params.items()}
        table = {
            "advection": [(0, 1), (1, 0)],
            "burgers": [(0, 1), (1, 0), (2, 0)],
            "kdv": [(0, 1), (1, 0), (3, 0)],
            "reaction": [(0, 1)],
            "heat": [(0, 1), (2, 0)],
            "poisson": [(2, 0), (0, 2)],
        }
        if name not in table:
            raise ValueError(f"unknown family {name}")
        self.residual_indices = table[name]
        if name == "poisson":
            s = self.p["s"]
            self.peak = (math.erf(s * 0.25) - math.erf(-s * 0.25)) ** 2

    def residual(self, E):
        d, p = E.d, self.p
        if self.name == "advection":
            return d(0, 1) + p["beta"] * d(1, 0)
        if self.name == "burgers":
            u = d(0, 0)
            return d(0, 1) + u * d(1, 0) - p["nu"] * d(2, 0)
        if self.name == "kdv":
            return d(0, 1) + p["c"] * d(0, 0) * d(1, 0) + d(3, 0)
        if self.name == "reaction":
            u = d(0, 0)
            return d(0, 1) - p["rho"] * (u - u * u)
        if self.name == "heat":
            return d(0, 1) - d(2, 0)
        if self.name == "poisson":
            s = self.p["s"]
            g = _poisson_bump(s, E.x) * _poisson_bump(s, E.y) / self.peak
            return d(2, 0) + d(0, 2) - g
        raise AssertionError

    def flux_indices(self, normal_axis):
        if self.name == "burgers" and normal_axis == 0:
            return [(0, 0), (1, 0)]
        return [(0, 1)]

    def flux(self, E, normal_axis):
        if self.name == "burgers" and normal_axis == 0:
            u = E.d(0, 0)
            return 0.5 * u * u - self.p["nu"] * E.d(1, 0)
        return E.d(0, 1)


# --------------------------------------------------------------------------------------
# The loss


def parse_arm(text):
    text = str(text)
    if len(text) != 9 or set(text) - {"0", "1"}:
        raise ValueError(f"arm must be 9 bits, got {text!r}")
    return [c == "1" for c in text]


def _mean_sq(v):
    return (v * v).mean()


class XPINNLoss:
    """The metalic loss (docs/METHOD.md) on the problem JSON, in one dtype.

    all_terms=False: only the enabled interface conditions are computed (like metalic).
    all_terms=True: all nine are computed every evaluation and the disabled ones multiplied by
    zero (like the reference implementation); the value is the same.
    """

    def __init__(self, problem, dtype, arm=None, all_terms=False):
        self.dtype = dtype
        self.family = Family(problem["family"], problem.get("parameters", {}))
        self.arm = parse_arm(arm if arm is not None else problem["arm"])
        self.all_terms = all_terms
        w = problem.get("weights", {})
        self.wb = float(w.get("boundary", 20.0))
        self.wr = float(w.get("residual", 1.0))
        self.wi = float(w.get("interface", 5.0))
        self.networks = [Network(spec, dtype) for spec in problem["networks"]]

        def pts(a):
            return torch.tensor(a, dtype=dtype).reshape(-1, 2)

        self.sets = []
        for s in problem["pointSets"]:
            self.sets.append({
                "collocation": pts(s.get("collocation", [])),
                "boundary": pts(s.get("boundary", [])),
                "boundaryValues": torch.tensor(s.get("boundaryValues", []), dtype=dtype),
                "periodicLower": pts(s.get("periodicLower", [])),
                "periodicUpper": pts(s.get("periodicUpper", [])),
                "periodicDerivatives": [tuple(int(v) for v in a) for a in s.get("periodicDerivatives", [])],
            })
        if len(self.sets) != len(self.networks):
            raise ValueError("one point set per network is required")
        self.interfaces = [(int(i["first"]), int(i["second"]), int(i.get("normalAxis", 1)), pts(i["points"]))
                           for i in problem["interfaces"]]

    def parameters(self):
        return [p for n in self.networks for p in n.params]

    def interface_indices(self, enabled, normal_axis):
        f = self.family.residual_indices
        want = {
            "u": [(0, 0)], "uavg": [(0, 0)], "residual": f, "rc": f, "flux": self.family.flux_indices(normal_axis),
            "uyy": [(0, 2)], "gres": f, "ux": [(1, 0)], "uxx": [(2, 0)],
        }
        out = set()
        for k, c in enumerate(CONDITIONS):
            if enabled[k]:
                out.update(want[c])
        return sorted(out)

    def terms(self):
        """[(name, weighted value tensor)] in metalic's order; the loss is their sum."""
        fam = self.family
        out = []
        for n, (net, s) in enumerate(zip(self.networks, self.sets)):
            if len(s["collocation"]):
                E = Evaluation(net, s["collocation"])
                E.prepare(fam.residual_indices)
                out.append((f"residual[{n}]", self.wr * _mean_sq(fam.residual(E))))
            if len(s["boundary"]):
                E = Evaluation(net, s["boundary"])
                out.append((f"boundary[{n}]", self.wb * _mean_sq(E.d(0, 0) - s["boundaryValues"])))
            if len(s["periodicLower"]) and s["periodicDerivatives"]:
                lo, up = Evaluation(net, s["periodicLower"]), Evaluation(net, s["periodicUpper"])
                lo.prepare(s["periodicDerivatives"])
                up.prepare(s["periodicDerivatives"])
                for a in s["periodicDerivatives"]:
                    out.append((f"periodic {list(a)}[{n}]", self.wb * _mean_sq(lo.d(*a) - up.d(*a))))

        enabled = [True] * 9 if self.all_terms else self.arm
        for (a, b, normal, P) in self.interfaces:
            if not len(P) or not any(enabled):
                continue
            idx = self.interface_indices(enabled, normal)
            E1, E2 = Evaluation(self.networks[a], P), Evaluation(self.networks[b], P)
            E1.prepare(idx)
            E2.prepare(idx)
            f1 = f2 = None
            if enabled[2] or enabled[3] or enabled[6]:
                f1, f2 = fam.residual(E1), fam.residual(E2)
            tag = f"[{a}|{b}]"
            for k, c in enumerate(CONDITIONS):
                if not enabled[k]:
                    continue
                if c == "u":
                    items = [(f"interface u{tag}", _mean_sq(E1.d(0, 0) - E2.d(0, 0)))]
                elif c == "uavg":
                    diff = E1.d(0, 0) - E2.d(0, 0)
                    items = [(f"interface uavg 1{tag}", _mean_sq(0.5 * diff)), (f"interface uavg 2{tag}", _mean_sq(-0.5 * diff))]
                elif c == "residual":
                    items = [(f"interface residual[{a} at {a}|{b}]", _mean_sq(f1)), (f"interface residual[{b} at {a}|{b}]", _mean_sq(f2))]
                elif c == "rc":
                    items = [(f"interface rc{tag}", _mean_sq(f1 - f2))]
                elif c == "flux":
                    items = [(f"interface flux{tag}", _mean_sq(fam.flux(E1, normal) - fam.flux(E2, normal)))]
                elif c == "uyy":
                    items = [(f"interface uyy{tag}", _mean_sq(E1.d(0, 2) - E2.d(0, 2)))]
                elif c == "gres":
                    f1x, f1y = E1.grad_of(f1)
                    f2x, f2y = E2.grad_of(f2)
                    items = [(f"interface gres x[{a} at {a}|{b}]", _mean_sq(f1x)), (f"interface gres y[{a} at {a}|{b}]", _mean_sq(f1y)),
                             (f"interface gres x[{b} at {a}|{b}]", _mean_sq(f2x)), (f"interface gres y[{b} at {a}|{b}]", _mean_sq(f2y))]
                elif c == "ux":
                    items = [(f"interface ux{tag}", _mean_sq(E1.d(1, 0) - E2.d(1, 0)))]
                else:
                    items = [(f"interface uxx{tag}", _mean_sq(E1.d(2, 0) - E2.d(2, 0)))]
                switch = 1.0 if self.arm[k] else 0.0
                for name, v in items:
                    if self.all_terms:
                        out.append((name, self.wi * switch * v))
                    else:
                        out.append((name, self.wi * v))
        return out

    def __call__(self):
        ts = self.terms()
        if not ts:
            return torch.zeros((), dtype=self.dtype, requires_grad=True)
        return torch.stack([v for _, v in ts]).sum()


# --------------------------------------------------------------------------------------
# --check


def check(problem, args):
    torch.set_num_threads(1)
    loss = XPINNLoss(problem, torch.float64, arm=args.arm, all_terms=args.all_terms)
    terms = loss.terms()
    total = torch.stack([v for _, v in terms]).sum() if terms else torch.zeros((), dtype=torch.float64)
    ours = problem.get("loss")
    their_terms = problem.get("terms") or []
    same_arm = args.arm is None or args.arm == problem.get("arm")
    print(f"family {problem['family']} {problem.get('parameters', {})} arm {''.join('1' if b else '0' for b in loss.arm)}"
          f"{' (all nine terms computed, disabled ones x0)' if args.all_terms else ''}")
    mine = [(n, v.item()) for n, v in terms if not (args.all_terms and v.item() == 0.0 and not _enabled_name(n, loss.arm))]
    matched_by_name = {t["name"]: t["value"] for t in their_terms}
    worst = 0.0
    print(f"{'term':<34} {'metalic':>24} {'pytorch':>24} {'rel diff':>10}")
    for i, (name, v) in enumerate(mine):
        ref = None
        if same_arm:
            if name in matched_by_name:
                ref = matched_by_name[name]
            elif len(their_terms) == len(mine):
                ref = their_terms[i]["value"]
        rel = abs(v - ref) / max(abs(ref), 1e-300) if ref is not None else float("nan")
        if ref is not None:
            worst = max(worst, rel if ref != 0 else abs(v))
        print(f"{name:<34} {'-' if ref is None else repr(float(ref)):>24} {v!r:>24} {'-' if ref is None else format(rel, '10.2e'):>10}")
    names_theirs = [t["name"] for t in their_terms]
    missing = [n for n in names_theirs if n not in dict(mine)]
    if same_arm and missing and len(their_terms) != len(mine):
        print(f"metalic terms without a PyTorch counterpart: {missing}")
    total_v = total.item()
    out = {"family": problem["family"], "arm": "".join("1" if b else "0" for b in loss.arm), "pytorch_loss": total_v}
    if ours is not None and same_arm:
        rel = abs(total_v - ours) / max(abs(ours), 1e-300)
        print(f"{'loss':<34} {ours!r:>24} {total_v!r:>24} {rel:10.2e}")
        out.update(metalic_loss=ours, relative_difference=rel, worst_term_relative_difference=worst)
        ok = rel <= args.tolerance and worst <= args.tolerance
        out["agree"] = ok
        print(f"{'AGREE' if ok else 'DISAGREE'} to {args.tolerance:g} (loss {rel:.2e}, worst term {worst:.2e})")
    else:
        print(f"{'loss':<34} {'':>24} {total_v!r:>24}")
    if "gradient" in problem:
        total.backward()
        g = torch.cat([p.grad.reshape(-1) for p in loss.parameters()])
        theirs = torch.tensor(problem["gradient"], dtype=torch.float64)
        rel = ((g - theirs).norm() / theirs.norm()).item()
        print(f"gradient: relative L2 difference {rel:.2e}")
        out["gradient_relative_difference"] = rel
    print(json.dumps(out))
    return 0 if out.get("agree", True) else 1


def _enabled_name(name, arm):
    """False for an interface term whose condition the arm switches off."""
    if not name.startswith("interface "):
        return True
    condition = name[len("interface "):].split("[")[0].split(" ")[0]
    return arm[CONDITIONS.index(condition)]


# --------------------------------------------------------------------------------------
# --time


def _median_ms(samples):
    return 1000.0 * statistics.median(samples)


def _load_average():
    try:
        with open("/proc/loadavg") as fh:
            return [float(v) for v in fh.read().split()[:3]]
    except OSError:
        return None


def time_optimizers(problem, dtype, all_terms, arm, iterations, warmup, lbfgs_warmup):
    result = {}
    # Adam
    loss = XPINNLoss(problem, dtype, arm=arm, all_terms=all_terms)
    opt = torch.optim.Adam(loss.parameters(), lr=1e-3)
    wall, cpu = [], []
    for it in range(warmup + iterations):
        t0, c0 = time.perf_counter(), time.thread_time()
        opt.zero_grad()
        L = loss()
        L.backward()
        opt.step()
        t1, c1 = time.perf_counter(), time.thread_time()
        if it >= warmup:
            wall.append(t1 - t0)
            cpu.append(c1 - c0)
    result["adam"] = (wall, cpu)
    result["adam_final_loss"] = L.item()

    # L-BFGS as the reference: fixed step lr * direction, no line search, history 50;
    # max_iter=1 so one .step() is one iteration (one loss-and-gradient evaluation).
    loss = XPINNLoss(problem, dtype, arm=arm, all_terms=all_terms)
    opt = torch.optim.LBFGS(loss.parameters(), lr=0.1, max_iter=1, history_size=50,
                            tolerance_grad=1e-9, tolerance_change=1e-12, line_search_fn=None)

    def closure():
        opt.zero_grad()
        L = loss()
        L.backward()
        return L

    wall, cpu = [], []
    last = None
    for it in range(lbfgs_warmup + iterations):
        t0, c0 = time.perf_counter(), time.thread_time()
        last = opt.step(closure)
        t1, c1 = time.perf_counter(), time.thread_time()
        if it >= lbfgs_warmup:
            wall.append(t1 - t0)
            cpu.append(c1 - c0)
    result["lbfgs"] = (wall, cpu)
    result["lbfgs_final_loss"] = float(last.detach())
    return result


def run_timing(problem, args):
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    arm = args.arm if args.arm is not None else problem["arm"]
    modes = [False, True] if args.both_modes else [args.all_terms]
    configs = [(d, m) for d in args.dtypes.split(",") for m in modes]
    pooled = {c: {"adam": ([], []), "lbfgs": ([], []), "adam_rounds": [], "lbfgs_rounds": []} for c in configs}
    # Rounds interleave the configurations so that load from other processes on a shared
    # machine spreads over all of them; each round starts from fresh networks.
    for _ in range(args.rounds):
        for (dtype_name, all_terms) in configs:
            dtype = {"float32": torch.float32, "float64": torch.float64}[dtype_name]
            r = time_optimizers(problem, dtype, all_terms, arm, args.iterations, args.warmup, args.lbfgs_warmup)
            acc = pooled[(dtype_name, all_terms)]
            for opt in ("adam", "lbfgs"):
                acc[opt][0].extend(r[opt][0])
                acc[opt][1].extend(r[opt][1])
                acc[opt + "_rounds"].append(_median_ms(r[opt][0]))
                acc[opt + "_final_loss"] = r[opt + "_final_loss"]
    rows = []
    for (dtype_name, all_terms) in configs:
        acc = pooled[(dtype_name, all_terms)]
        r = {"dtype": dtype_name, "all_terms": all_terms, "arm": arm}
        for opt in ("adam", "lbfgs"):
            r[opt + "_ms"] = _median_ms(acc[opt][0])            # wall clock, median over all rounds
            r[opt + "_cpu_ms"] = _median_ms(acc[opt][1])        # thread CPU time, median
            r[opt + "_best_round_ms"] = min(acc[opt + "_rounds"])  # least-disturbed round's wall median
            r[opt + "_final_loss"] = acc[opt + "_final_loss"]
        rows.append(r)
        print(f"{problem['family']:<9} arm {arm} {dtype_name:<7} {'all-terms' if all_terms else 'arm-only ':<9}"
              f"  Adam {r['adam_ms']:6.2f} ms/it (cpu {r['adam_cpu_ms']:6.2f}, best round {r['adam_best_round_ms']:6.2f})"
              f"   L-BFGS {r['lbfgs_ms']:6.2f} ms/it (cpu {r['lbfgs_cpu_ms']:6.2f}, best round {r['lbfgs_best_round_ms']:6.2f})"
              f"   final loss Adam {r['adam_final_loss']:.3e} L-BFGS {r['lbfgs_final_loss']:.3e}", flush=True)
    summary = {
        "benchmark": "pytorch-xpinn", "torch": torch.__version__, "threads": torch.get_num_threads(),
        "family": problem["family"], "parameters": problem.get("parameters", {}),
        "networks": [n["widths"] for n in problem["networks"]],
        "points": [{k: len(s.get(k, [])) for k in ("collocation", "boundary", "periodicLower")} for s in problem["pointSets"]],
        "interfacePoints": [len(i["points"]) for i in problem["interfaces"]],
        "iterations": args.iterations, "rounds": args.rounds, "warmup": args.warmup, "lbfgsWarmup": args.lbfgs_warmup,
        "loadAverage": _load_average(),
        "results": rows,
    }
    print(json.dumps(summary))
    return 0


# --------------------------------------------------------------------------------------
# --self-test


def self_test():
    """Nested-autograd derivatives vs central finite differences on a random net, plus
    consistency checks of the loss assembly. Float64 throughout."""
    torch.manual_seed(0)
    dtype = torch.float64
    failures = 0

    def report(what, err, tol):
        nonlocal failures
        ok = err <= tol
        failures += 0 if ok else 1
        print(f"  {'ok  ' if ok else 'FAIL'} {what:<52} rel err {err:.2e} (tol {tol:.0e})")

    widths = [2, 20, 20, 1]
    params = []
    for i, o in zip(widths[:-1], widths[1:]):
        params += list((torch.randn(o, i, dtype=dtype) * math.sqrt(2.0 / (i + o))).reshape(-1).tolist())
        params += list((0.1 * torch.randn(o, dtype=dtype)).tolist())
    spec = {"widths": widths, "lower": [0.0, 0.0], "upper": [2.0, 1.5], "parameters": params}
    net = Network(spec, dtype)
    P = torch.rand(50, 2, dtype=dtype) * torch.tensor([2.0, 1.5], dtype=dtype)

    def rel(a, b):
        return ((a - b).norm() / max(b.norm().item(), 1e-300)).item()

    print("derivatives: autograd d(i,j) vs central difference of autograd d(i-1,j) / d(i,j-1), h = 1e-5")
    h = 1e-5
    for order in range(1, 5):
        for i in range(order, -1, -1):
            j = order - i
            E = Evaluation(net, P)
            val = E.d(i, j).detach()
            if i > 0:
                base, shift = (i - 1, j), torch.tensor([h, 0.0], dtype=dtype)
            else:
                base, shift = (i, j - 1), torch.tensor([0.0, h], dtype=dtype)
            Ep, Em = Evaluation(net, P + shift), Evaluation(net, P - shift)
            fd = (Ep.d(*base).detach() - Em.d(*base).detach()) / (2 * h)
            report(f"d({i},{j})", rel(val, fd), 1e-7)

    print("derivatives: autograd vs finite differences of u alone")
    U = lambda Q: net(Q).detach()
    hx, hy = torch.tensor([1e-3, 0.0], dtype=dtype), torch.tensor([0.0, 1e-3], dtype=dtype)
    E = Evaluation(net, P)
    E.prepare([(1, 0), (0, 1), (2, 0), (0, 2), (1, 1)])
    report("u_x", rel(E.d(1, 0).detach(), (U(P + hx) - U(P - hx)) / 2e-3), 1e-5)
    report("u_y", rel(E.d(0, 1).detach(), (U(P + hy) - U(P - hy)) / 2e-3), 1e-5)
    report("u_xx", rel(E.d(2, 0).detach(), (U(P + hx) - 2 * U(P) + U(P - hx)) / 1e-6), 1e-4)
    report("u_yy", rel(E.d(0, 2).detach(), (U(P + hy) - 2 * U(P) + U(P - hy)) / 1e-6), 1e-4)
    report("u_xy", rel(E.d(1, 1).detach(), (U(P + hx + hy) - U(P + hx - hy) - U(P - hx + hy) + U(P - hx - hy)) / 4e-6), 1e-4)
    hx3 = torch.tensor([1e-2, 0.0], dtype=dtype)
    E.prepare([(3, 0)])
    fd3 = (U(P + 2 * hx3) - 2 * U(P + hx3) + 2 * U(P - hx3) - U(P - 2 * hx3)) / (2 * 1e-6)
    report("u_xxx", rel(E.d(3, 0).detach(), fd3), 1e-3)

    print("residuals: gres (autograd of f) vs central differences of f, and flux")
    fams = {"advection": {"beta": 10.0}, "burgers": {"nu": 0.01}, "kdv": {"c": 5.0}, "reaction": {"rho": 5.0},
            "heat": {"a": 1, "b": 1, "c": 1, "d": 1}, "poisson": {"s": 10.0}}
    for name, prm in fams.items():
        fam = Family(name, prm)

        def f_at(Q):
            E = Evaluation(net, Q)
            E.prepare(fam.residual_indices)
            return fam.residual(E).detach()

        E = Evaluation(net, P)
        E.prepare(fam.residual_indices)
        f = fam.residual(E)
        fx, fy = E.grad_of(f)
        report(f"{name}: f_x", rel(fx.detach(), (f_at(P + h * hx / 1e-3) - f_at(P - h * hx / 1e-3)) / (2 * h)), 1e-6)
        report(f"{name}: f_y", rel(fy.detach(), (f_at(P + h * hy / 1e-3) - f_at(P - h * hy / 1e-3)) / (2 * h)), 1e-6)
    fam = Family("burgers", {"nu": 0.01})
    E = Evaluation(net, P)
    F = fam.flux(E, 0).detach()
    expect = 0.5 * U(P) ** 2 - 0.01 * (U(P + hx) - U(P - hx)) / 2e-3
    report("burgers flux across x = const", rel(F, expect), 1e-6)

    print("loss assembly: all-terms (disabled x0) equals arm-only; uavg = u/2")
    sys.dont_write_bytecode = True
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from make_test_problem import make_problem
    for fam_name in ["advection", "burgers", "kdv", "poisson"]:
        prob = make_problem(fam_name, arm="101010101", collocation=40, boundary=10, interface=11, periodic=5, seed=1)
        a = XPINNLoss(prob, dtype)().item()
        b = XPINNLoss(prob, dtype, all_terms=True)().item()
        report(f"{fam_name}: arm-only vs all-terms", abs(a - b) / abs(a), 1e-14)
        lu = XPINNLoss(prob, dtype, arm="100000000").terms()[-1][1].item()
        lavg = sum(v.item() for n, v in XPINNLoss(prob, dtype, arm="010000000").terms() if "uavg" in n)
        report(f"{fam_name}: uavg = u / 2", abs(lavg - lu / 2) / lu, 1e-14)
        # the terms of arm 'all' are the union of the single-condition arms' terms
        full = XPINNLoss(prob, dtype, arm="111111111")().item()
        base = XPINNLoss(prob, dtype, arm="000000000")().item()
        parts = sum(XPINNLoss(prob, dtype, arm="".join("1" if q == k else "0" for q in range(9)))().item() - base
                    for k in range(9))
        report(f"{fam_name}: arm all = none + sum of singles", abs(full - (base + parts)) / full, 1e-12)
    print("self-test: " + ("all passed" if failures == 0 else f"{failures} FAILED"))
    return 0 if failures == 0 else 1


# --------------------------------------------------------------------------------------


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("problem", nargs="?", help="problem JSON")
    ap.add_argument("--check", action="store_true", help="compare the PyTorch Float64 loss with the JSON's")
    ap.add_argument("--time", action="store_true", help="time Adam and L-BFGS iterations")
    ap.add_argument("--self-test", action="store_true", help="derivatives vs finite differences, loss consistency")
    ap.add_argument("--all-terms", action="store_true",
                    help="compute all nine interface terms every iteration, disabled ones x0 (as the reference)")
    ap.add_argument("--both-modes", action="store_true", help="--time: with and without --all-terms")
    ap.add_argument("--arm", help="override the JSON's arm (9 bits)")
    ap.add_argument("--dtypes", default="float32,float64", help="--time: comma-separated, float32 and/or float64")
    ap.add_argument("--iterations", type=int, default=100, help="--time: timed iterations per optimiser and round")
    ap.add_argument("--rounds", type=int, default=3, help="--time: interleaved rounds over the configurations")
    ap.add_argument("--warmup", type=int, default=20, help="--time: Adam warm-up iterations")
    ap.add_argument("--lbfgs-warmup", type=int, default=60,
                    help="--time: L-BFGS warm-up iterations (>= 50 so the history is full)")
    ap.add_argument("--tolerance", type=float, default=1e-10, help="--check: relative agreement required")
    args = ap.parse_args(argv)
    if args.arm is not None:
        parse_arm(args.arm)
    status = 0
    if args.self_test:
        status |= self_test()
    if args.check or args.time:
        if not args.problem:
            ap.error("a problem JSON is required for --check and --time")
        with open(args.problem) as fh:
            problem = json.load(fh)
        if args.check:
            status |= check(problem, args)
        if args.time:
            status |= run_timing(problem, args)
    if not (args.self_test or args.check or args.time):
        ap.error("nothing to do: give --check, --time or --self-test")
    return status


if __name__ == "__main__":
    sys.exit(main())
