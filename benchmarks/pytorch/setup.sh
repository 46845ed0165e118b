#!/usr/bin/env bash
# Creates benchmarks/.venv with a CPU build of PyTorch (plus numpy) for the
# XPINN baseline in this folder. Idempotent: does nothing if the venv already
# imports torch.
#
# Which torch wheel: plain PyPI serves only the CUDA build for Linux x86_64
# (torch + ~3 GB of nvidia-* wheels). If pip can see a "+cpu" build (some
# machines here have one in pip's find-links, /opt/wheels), we install that
# (~190 MB wheel, no CUDA dependencies); otherwise we fall back to plain
# `pip install torch` and accept the size. Override with TORCH_SPEC=...
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$(cd "$here/.." && pwd)/.venv"
python="${PYTHON:-python3}"

if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import torch, numpy' 2>/dev/null; then
    echo "setup.sh: $venv already has torch $("$venv/bin/python" -c 'import torch; print(torch.__version__)')"
    exit 0
fi

start=$(date +%s)
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip

spec="${TORCH_SPEC:-}"
if [ -z "$spec" ]; then
    # Newest torch version whose local tag is +cpu, if pip can see one.
    cpu_version="$("$venv/bin/python" -m pip index versions torch 2>/dev/null \
        | sed -n 's/^Available versions: //p' | tr ',' '\n' | tr -d ' ' \
        | grep '+cpu$' | head -n 1 || true)"
    if [ -n "$cpu_version" ]; then
        spec="torch==$cpu_version"
    else
        spec="torch"
        echo "setup.sh: no CPU-only torch wheel visible to pip; installing the default (CUDA) build from PyPI, several GB" >&2
    fi
fi
echo "setup.sh: installing $spec and numpy into $venv"
"$venv/bin/python" -m pip install --quiet "$spec" numpy
"$venv/bin/python" -c 'import torch; print("setup.sh: torch", torch.__version__, "threads", torch.get_num_threads())'
echo "setup.sh: done in $(( $(date +%s) - start )) s; venv size $(du -sh "$venv" | cut -f1)"
