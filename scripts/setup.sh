#!/usr/bin/env bash
# Installs the system libraries metalic links against (Debian/Ubuntu), a font for the plots, and PostgreSQL's server
# for the tests of the PostgreSQL study store (scripts/with-postgres.sh starts a throwaway one).
set -euo pipefail
# libcairo2-dev draws the plots; fonts-dejavu-core gives them a real font (Cairo asks fontconfig for "DejaVu Sans").
packages=(libopenblas-dev liblapacke-dev libsqlite3-dev libpq-dev libcairo2-dev fonts-dejavu-core postgresql pkg-config zlib1g-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
