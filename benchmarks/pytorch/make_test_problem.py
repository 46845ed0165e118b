#!/usr/bin/env python3
"""Writes a random XPINN problem JSON in the format of metalic's `export-problem`, for testing
xpinn_baseline.py without the Swift exporter: Xavier-normal weights, zero biases, uniform random
collocation points, boundary points on the subdomain edges with plausible values, interface
points on the split line. "loss" and "terms" are null (no metalic value to compare with).

  make_test_problem.py advection out.json [--arm 111111111] [--collocation 1000] [--boundary 100]
                       [--interface 101] [--periodic 0] [--seed 0] [--param beta=10]
"""
import argparse
import json
import math
import random

DEFAULTS = {"advection": {"beta": 10.0}, "burgers": {"nu": 0.01}, "kdv": {"c": 5.0},
            "reaction": {"rho": 5.0}, "heat": {"a": 1.0, "b": 1.0, "c": 1.0, "d": 1.0}, "poisson": {"s": 10.0}}


def layout(family):
    """(subdomain pieces per network, bounding box per network, interface lines, periodic derivatives)."""
    two_pi = 2 * math.pi
    if family == "burgers":
        outer = [((-1.0, 0.0), (-0.1, 1.0)), ((0.1, 0.0), (1.0, 1.0))]
        strip = [((-0.1, 0.0), (0.1, 1.0))]
        return [outer, strip], [((-1.0, 0.0), (1.0, 1.0)), ((-0.1, 0.0), (0.1, 1.0))], \
            [(0, -0.1, (0.0, 1.0)), (0, 0.1, (0.0, 1.0))], []
    x0, x1, t0, t1, cut, periodic = {
        "advection": (0.0, two_pi, 0.0, 1.0, 0.5, [[0, 0]]),
        "reaction": (0.0, two_pi, 0.0, 1.0, 0.5, [[0, 0]]),
        "heat": (-1.0, 1.0, 0.0, 1.0, 0.5, []),
        "kdv": (0.0, 20.0, 0.0, 20.0, 10.0, [[0, 0], [1, 0]]),
        "poisson": (0.0, 1.0, 0.0, 1.0, 0.5, []),
    }[family]
    boxes = [((x0, t0), (x1, cut)), ((x0, cut), (x1, t1))]
    return [[b] for b in boxes], boxes, [(1, cut, (x0, x1))], periodic


def value(family, p, x, t):
    if family == "advection":
        return math.sin(x - p["beta"] * t)
    if family == "burgers":
        return -math.sin(math.pi * x) if t == 0 else 0.0
    if family == "kdv":
        return 0.5 * 0.75 / math.cosh(0.5 * math.sqrt(0.75) * (x - 6.6)) ** 2
    if family == "reaction":
        h = math.exp(-(x - math.pi) ** 2 / (2 * (math.pi / 4) ** 2))
        return h * math.exp(p["rho"] * t) / (h * math.exp(p["rho"] * t) + 1 - h)
    if family == "heat":
        return p["a"] * math.exp(-math.pi ** 2 * t) * math.cos(math.pi * x) + p["d"] * math.exp(t - 1) * math.sinh(x)
    bump = lambda z: math.erf(p["s"] * (z - 0.25)) - math.erf(p["s"] * (z - 0.75))
    return bump(x) * bump(t) / bump(0.5) ** 2


def make_problem(family, arm="111111111", collocation=1000, boundary=100, interface=101, periodic=0,
                 seed=0, params=None, widths=(2, 20, 20, 1)):
    rng = random.Random(seed)
    p = dict(DEFAULTS[family])
    p.update(params or {})
    pieces, boxes, lines, periodic_alphas = layout(family)
    networks, sets = [], []
    for n, (lo, up) in enumerate(boxes):
        flat = []
        for i, o in zip(widths[:-1], widths[1:]):
            std = math.sqrt(2.0 / (i + o))
            flat += [rng.gauss(0.0, std) for _ in range(o * i)] + [0.0] * o
        networks.append({"widths": list(widths), "lower": list(lo), "upper": list(up), "parameters": flat})
        col = []
        for k in range(collocation):
            (a, b), (c, d) = pieces[n][k % len(pieces[n])]
            col.append([rng.uniform(a + 0.01, c - 0.01), rng.uniform(b + 0.01, d - 0.01)])
        bnd = []
        for k in range(boundary):
            (a, b), (c, d) = lo, up
            edge = k % 4
            if edge == 0:
                pt = [rng.uniform(a, c), b]
            elif edge == 1:
                pt = [rng.uniform(a, c), d]
            elif edge == 2:
                pt = [a, rng.uniform(b, d)]
            else:
                pt = [c, rng.uniform(b, d)]
            bnd.append(pt)
        s = {"collocation": col, "boundary": bnd, "boundaryValues": [value(family, p, x, t) for x, t in bnd],
             "periodicLower": [], "periodicUpper": [], "periodicDerivatives": []}
        if periodic and periodic_alphas:
            ts = [rng.uniform(lo[1], up[1]) for _ in range(periodic)]
            s["periodicLower"] = [[lo[0], t] for t in ts]
            s["periodicUpper"] = [[up[0], t] for t in ts]
            s["periodicDerivatives"] = periodic_alphas
        sets.append(s)
    pts = []
    for axis, position, (a, b) in lines:
        for k in range(interface):
            along = a + (b - a) * k / (interface - 1)
            pts.append([position, along] if axis == 0 else [along, position])
    return {
        "family": family, "parameters": p, "arm": arm,
        "weights": {"boundary": 20.0, "residual": 1.0, "interface": 5.0},
        "networks": networks, "pointSets": sets,
        "interfaces": [{"first": 0, "second": 1, "normalAxis": lines[0][0], "points": pts}],
        "loss": None, "terms": None,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("family", choices=sorted(DEFAULTS))
    ap.add_argument("out")
    ap.add_argument("--arm", default="111111111")
    ap.add_argument("--collocation", type=int, default=1000)
    ap.add_argument("--boundary", type=int, default=100)
    ap.add_argument("--interface", type=int, default=101, help="points per interface line")
    ap.add_argument("--periodic", type=int, default=0, help="periodic point pairs per network (families with periodic x)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--param", action="append", default=[], help="name=value")
    a = ap.parse_args()
    params = {k: float(v) for k, v in (s.split("=", 1) for s in a.param)}
    prob = make_problem(a.family, a.arm, a.collocation, a.boundary, a.interface, a.periodic, a.seed, params)
    with open(a.out, "w") as fh:
        json.dump(prob, fh)
    print(f"{a.family} {prob['parameters']} arm {a.arm} -> {a.out}")


if __name__ == "__main__":
    main()
