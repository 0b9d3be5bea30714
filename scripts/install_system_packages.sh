#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/system-packages.txt that are not there yet.
# Runs as part of the setup (the Makefile's venv step), so a new machine gets everything from the
# project's own files. Without apt or root it says what is missing and goes on: the tests that need
# a package skip with a visible reason.
set -uo pipefail
list="$(dirname "$0")/system-packages.txt"
wanted=$(sed -e 's/#.*//' "$list" | tr -s ' \t' '\n' | grep -v '^$' || true)
[ -n "$wanted" ] || exit 0
missing=()
for package in $wanted; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -gt 0 ] || exit 0
if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
  echo "system packages missing (install them to run every test): ${missing[*]}" >&2
  exit 0
fi
echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
  || { echo "could not install all of: ${missing[*]}" >&2; exit 0; }
