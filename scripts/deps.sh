#!/usr/bin/env bash
# Installs the Debian 12 packages partnermap needs to build, test and draw, when any is missing.
# Runs apt-get as root (directly, or through sudo for another user). Safe to run again: when
# everything is installed it does nothing and touches no network.
set -euo pipefail
PACKAGES=(
  cmake make gcc pkg-config
  libigraph-dev libgdal-dev gdal-bin libcairo2-dev libpango1.0-dev libfontconfig-dev
  libutf8proc-dev libicu-dev zlib1g-dev fonts-dejavu-core
  python3 poppler-utils valgrind locales librsvg2-bin
  clang-14 libfuzzer-14-dev libclang-rt-14-dev
  postgresql-15 postgresql-15-postgis-3 postgresql-client-15
  slurm-wlm munge parallel time
)
missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "partnermap: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "partnermap: run as root or install sudo" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
