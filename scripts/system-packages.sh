#!/usr/bin/env bash
# The Debian packages the tests need, in one place, installed when missing and we may.
#   chromium   the browser tests drive Debian's Chromium through Playwright (Playwright's own
#              browser download cannot work without internet)
#   libvoikko1 the Finnish morphology library that PyPI's libvoikko binds (base forms, compounds)
#   voikko-fi  its Finnish dictionary; without both, similarity and search fall back to Snowball
# Add a package here (one per line in PACKAGES) when a test starts to need one.
set -euo pipefail

PACKAGES=(
  chromium
  libvoikko1
  voikko-fi
)

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# npm installs the form editor (Sveltia CMS, package-lock.json); any Node.js with npm will do.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages for the tests: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Missing Debian packages for the tests: ${missing[*]}. Install them: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
