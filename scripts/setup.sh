#!/usr/bin/env bash
# Installs what Lượt needs on a Debian 12 machine, only what is missing:
# Debian packages (cgo and Fyne build libraries, Xvfb and X tools, Chromium,
# socat, espeak-ng/sox/alsa for voice clips; npm where Node.js lacks it),
# the Go modules of go.mod
# and axe-core (the accessibility checks of the browser tests, pinned by
# internal/browsertest/axe/package-lock.json).
# Sourced by scripts/run.sh and scripts/test.sh; safe to run again.
set -euo pipefail

# Go lives in /usr/local/go on our machines; add it (and the module bin) to PATH.
export PATH="/usr/local/go/bin:${HOME:-/root}/go/bin:$PATH"
# go.mod asks for Go 1.26.10: 1.26.8, installed here, has 13 standard-library
# vulnerabilities our code reaches (net/http, crypto/tls, crypto/x509,
# html/template; see README, Security checks). The installed Go's go.env
# says GOTOOLCHAIN=local; auto lets it fetch the newer toolchain from the
# module proxy once (about 6 s) and use it.
export GOTOOLCHAIN=auto

LUOT_APT_PACKAGES=(
  gcc pkg-config libgl1-mesa-dev libx11-dev libxext-dev libxcursor-dev
  libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev
  xvfb xdotool x11-utils imagemagick chromium socat sqlite3
  espeak-ng sox alsa-utils ca-certificates git
)

luot_missing_packages() {
  local p
  for p in "${LUOT_APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

luot_install_packages() {
  local missing
  missing=$(luot_missing_packages | tr '\n' ' ')
  [ -z "${missing// /}" ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing Debian packages: $missing"
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

luot_install_go() {
  if ! command -v go >/dev/null 2>&1; then
    echo "setup: Go 1.26 is required and was not found in /usr/local/go or on PATH." >&2
    echo "setup: install Go 1.26 (e.g. unpack the official archive into /usr/local/go) and run again." >&2
    exit 1
  fi
  go mod download
}

# luot_install_axe installs the pinned axe-core from the npm registry into
# internal/browsertest/axe/node_modules (never served; only the tests load
# it into the pages they check).
luot_install_axe() {
  [ -f internal/browsertest/axe/node_modules/axe-core/axe.min.js ] && return 0
  echo "setup: installing axe-core (npm) for the browser tests' accessibility checks"
  # Machines of our kind carry Node.js with its own npm; Debian's npm
  # package is installed only where no npm is found (it would replace it).
  if ! command -v npm >/dev/null 2>&1; then
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  npm ci --prefix internal/browsertest/axe --no-audit --no-fund --ignore-scripts >/dev/null
}

luot_setup() {
  luot_install_packages
  luot_install_go
  luot_install_axe
  # Fyne and tests need a UTF-8 locale and a writable HOME.
  export LANG="${LANG:-C.UTF-8}"
  if [ -z "${HOME:-}" ] || [ ! -w "${HOME}" ]; then export HOME=/tmp/luot-home; mkdir -p "$HOME"; fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  cd "$(dirname "$0")/.."
  luot_setup
fi
