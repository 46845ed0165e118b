#!/usr/bin/env bash
# The project's test command: install the system libraries, then build and run every test in
# release mode (the tests train small networks; debug builds are 10–50× slower at numerics).
#
# The GP and bandit tests then run again under other OpenBLAS kernel sets than the one this CPU
# selects: each kernel set rounds differently, so a test tuned to one CPU's rounding fails here
# first instead of on a user's machine. Set METALIC_TEST_KERNELS="" to skip that, or to a list.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The study-store tests run against a real PostgreSQL server too: a throwaway one, started and
# removed around the run (they fail, not skip, without it).
bash scripts/with-postgres.sh swift test -c release -Xswiftc -enable-testing --disable-swift-testing "$@"

# Prescott is OpenBLAS's generic SSE3 set; Haswell and Zen are its AVX2 sets (Intel, AMD).
kernels=${METALIC_TEST_KERNELS-Prescott Haswell Zen}
has_avx2=$(grep -qw avx2 /proc/cpuinfo && echo yes || echo no)
for core in $kernels; do
    if [ "$core" != Prescott ] && [ "$has_avx2" = no ]; then
        echo "== skipping OpenBLAS kernel set $core: this CPU has no AVX2"
        continue
    fi
    echo "== GP and bandit tests with OPENBLAS_CORETYPE=$core"
    OPENBLAS_CORETYPE=$core swift test -c release -Xswiftc -enable-testing --disable-swift-testing --skip-build \
        --filter 'GaussianProcessTests|BanditTests' "$@"
done

# A package of a user's own that runs the metalic command line with an added family.
echo "== examples/custom-family"
bash scripts/build-examples.sh
