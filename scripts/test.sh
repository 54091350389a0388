#!/usr/bin/env bash
# The README's second command (and CI's): installs what is missing, builds with warnings as
# errors, runs the whole test suite, then runs the unit and CLI tests again under
# AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
jobs=$(nproc)
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPM_WERROR=ON >/dev/null
cmake --build build-test -j"$jobs" >/dev/null
ctest --test-dir build-test --output-on-failure -j"$jobs"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPM_WERROR=ON -DPM_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs" >/dev/null
# leak checking would report the libraries' own one-time allocations (fontconfig, GDAL drivers);
# partnermap tears them down, but some stay: check errors, not leaks.
ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -L 'unit|cli' -E 'slow'
