#!/usr/bin/env bash
# Installs what Lượt needs on a Debian 12 machine, only what is missing:
# Debian packages (cgo and Fyne build libraries, Xvfb and X tools, Chromium,
# socat, espeak-ng/sox/alsa for voice clips, PostgreSQL's programs for the
# tests on PostgreSQL; npm where Node.js lacks it),
# the Go modules of go.mod
# axe-core (the accessibility checks of the browser tests, pinned by
# internal/browsertest/axe/package-lock.json) and Leaflet (the maps of the
# feedback pages, pinned by scripts/leaflet/package-lock.json, copied into
# assets/web/static/vendor/leaflet where the server embeds it) and
# web-push-testing (a local push service that decrypts, for the web push
# tests, pinned by scripts/webpushtesting/package-lock.json) and proj4 (the
# oracle of the VN-2000 conversion's test, pinned by
# scripts/proj4/package-lock.json).
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
  espeak-ng sox alsa-utils ca-certificates git postgresql haproxy
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

# luot_check_postgres makes sure the tests can run PostgreSQL themselves:
# internal/pgtest starts a private cluster with Debian's initdb and pg_ctl
# in a temporary directory, so no system cluster or service has to run
# (Debian's "main" cluster, made by the package, may stay down).
luot_check_postgres() {
  local bin=${LUOT_PG_BIN:-/usr/lib/postgresql/15/bin}
  if [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
    echo "setup: PostgreSQL's initdb and pg_ctl are not in $bin; install Debian's postgresql package (15) or set LUOT_PG_BIN." >&2
    exit 1
  fi
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "setup: running as root, the tests run PostgreSQL as the postgres user, which is missing; reinstall the postgresql package." >&2
    exit 1
  fi
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
  luot_npm
  npm ci --prefix internal/browsertest/axe --no-audit --no-fund --ignore-scripts >/dev/null
}

# luot_npm makes sure npm is there: machines of our kind carry Node.js
# with its own npm; Debian's npm package is installed only where no npm is
# found (it would replace it).
luot_npm() {
  command -v npm >/dev/null 2>&1 && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends npm >/dev/null
}

# luot_install_leaflet installs the pinned Leaflet from the npm registry
# into scripts/leaflet/node_modules and copies what the pages load (the
# script, the style, its marker images and the licence) into
# assets/web/static/vendor/leaflet, served at /static/vendor/leaflet/ and
# embedded in the server when it is built. Without it the feedback pages
# show their lists and say the map is missing (see the README there).
luot_install_leaflet() {
  local dst=assets/web/static/vendor/leaflet
  [ -f "$dst/leaflet.js" ] && [ -f "$dst/leaflet.css" ] && return 0
  echo "setup: installing Leaflet (npm) for the maps of the feedback pages"
  luot_npm
  npm ci --prefix scripts/leaflet --no-audit --no-fund --ignore-scripts >/dev/null
  local src=scripts/leaflet/node_modules/leaflet
  mkdir -p "$dst/images"
  cp "$src/dist/leaflet.js" "$src/dist/leaflet.css" "$dst/"
  cp "$src/LICENSE" "$dst/LICENSE"
  cp "$src"/dist/images/*.png "$dst/images/"
  # The source map is not copied: drop its reference, or browsers' tools ask for it.
  sed -i '/^\/\/# sourceMappingURL=/d' "$dst/leaflet.js"
}

# luot_install_webpushtesting installs the pinned web-push-testing from the
# npm registry into scripts/webpushtesting/node_modules, where
# internal/pushtest finds it and runs it on a loopback port with the
# machine's Node.js (never shipped; only the tests start it).
luot_install_webpushtesting() {
  [ -f scripts/webpushtesting/node_modules/web-push-testing/src/server.js ] && return 0
  echo "setup: installing web-push-testing (npm) for the web push tests"
  luot_npm
  npm ci --prefix scripts/webpushtesting --no-audit --no-fund --ignore-scripts >/dev/null
}

# luot_install_proj4 installs the pinned proj4 from the npm registry into
# scripts/proj4/node_modules, where server/geo's VN-2000 test runs it with
# the machine's Node.js as an independent oracle (never shipped).
luot_install_proj4() {
  [ -f scripts/proj4/node_modules/proj4/package.json ] && return 0
  echo "setup: installing proj4 (npm) for the VN-2000 conversion's test"
  luot_npm
  npm ci --prefix scripts/proj4 --no-audit --no-fund --ignore-scripts >/dev/null
}

luot_setup() {
  luot_install_packages
  luot_check_postgres
  luot_install_go
  luot_install_axe
  luot_install_leaflet
  luot_install_webpushtesting
  luot_install_proj4
  # Fyne and tests need a UTF-8 locale and a writable HOME.
  export LANG="${LANG:-C.UTF-8}"
  if [ -z "${HOME:-}" ] || [ ! -w "${HOME}" ]; then export HOME=/tmp/luot-home; mkdir -p "$HOME"; fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  cd "$(dirname "$0")/.."
  luot_setup
fi
