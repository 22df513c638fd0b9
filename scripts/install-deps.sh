#!/usr/bin/env bash
# Installs the system packages LeadSync builds and tests against (Debian): librdkafka (the Kafka binding and its
# mock cluster), libcurl (HTTP to the CRMs), kcat (interop tests), pkg-config, python3 (scripts/check-imports.py).
# Idempotent and quiet when done.
set -euo pipefail
packages=(librdkafka-dev libcurl4-openssl-dev kcat pkg-config curl python3)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing system packages: ${missing[*]}"
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo_cmd apt-get update -qq
$sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
