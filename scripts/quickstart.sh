#!/usr/bin/env bash
# The README's first command: installs what is missing, builds partnermap (build/), and runs the
# main job on the sample datasets: statistics printed, join reports and maps in output/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
bash scripts/main-job.sh build/src/partnermap output
