#!/usr/bin/env bash
# Installs the Debian 12 packages xmlshred builds and tests with, only those
# missing. Silent when everything is present; safe to run any number of times.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libcaf-dev libxml2-dev libsoci-dev libsqlite3-dev libpq-dev
  libspdlog-dev libboost-test-dev nlohmann-json3-dev libcli11-dev
  libtomlplusplus-dev sqlite3
  postgresql postgresql-common
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null |
      grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing missing packages: ${missing[*]}" >&2
sudo_cmd=()
[[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null
