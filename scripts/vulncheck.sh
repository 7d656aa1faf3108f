#!/usr/bin/env bash
# Runs govulncheck (golang.org/x/vuln v1.9.0) on the Lượt module against a Go
# vulnerability database built on this machine. govulncheck's own database
# (vuln.go.dev) cannot be reached from our machines, but the Go module proxy
# can, and it serves golang.org/x/vulndb: the repository of the Go
# vulnerability reports, whose data/osv/*.json are the entries that
# vuln.go.dev serves. The script fetches vulndb at a pinned version through
# the proxy, builds the database with vulndb's own generator cmd/indexdb
# (cmd/gendb needs vulndb's git history, which the module zip lacks) into
# index/db.json, index/modules.json, index/vulns.json and ID/GO-*.json, the
# layout `govulncheck -db file://DIR` reads, in a temporary directory that is
# removed on exit, and scans ./... (source mode, with cgo as in a real build).
#
# The database is as fresh as the pinned vulndb version, printed at the start;
# raise VULNDB_VERSION to get newer reports. Entries taken from the module
# have no modified/published dates (vulndb takes those from its git history,
# which a module zip does not have), so the index's "modified" reads
# 0001-01-01: the vulndb commit time printed below is the date that counts.
#
# Usage: ./scripts/vulncheck.sh [govulncheck flags, e.g. -show verbose]
# Exit code is govulncheck's: 0 clean, 3 when reachable vulnerabilities are
# found. Not part of scripts/test.sh. Each step is bounded by `timeout`; on a
# fresh machine the downloads and builds (vulndb's generator pulls in many
# modules) take several minutes, later runs about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# shellcheck source=scripts/setup.sh
source scripts/setup.sh
luot_setup

VULN_VERSION=v1.9.0
VULNDB_VERSION=v0.0.0-20261105234957-e22db6528018

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# govulncheck, installed into GOBIN (or GOPATH/bin) unless already at $VULN_VERSION.
gobin=$(go env GOBIN)
[ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
govulncheck="$gobin/govulncheck"
if ! "$govulncheck" -version 2>/dev/null | grep -qx "Scanner: govulncheck@$VULN_VERSION"; then
  echo "== installing govulncheck $VULN_VERSION"
  (cd "$tmp" && timeout 600 go install "golang.org/x/vuln/cmd/govulncheck@$VULN_VERSION")
fi

echo "== fetching golang.org/x/vulndb@$VULNDB_VERSION through the module proxy"
info=$(cd "$tmp" && timeout 600 go mod download -json "golang.org/x/vulndb@$VULNDB_VERSION")
vulndb=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$info")
[ -d "$vulndb/data/osv" ] || { echo "vulncheck: no data/osv in the vulndb module ($vulndb)" >&2; exit 1; }
committed=$(cd "$tmp" && go list -m -f '{{.Time}}' "golang.org/x/vulndb@$VULNDB_VERSION")

echo "== building the database with vulndb's cmd/indexdb"
(cd "$tmp" && GOBIN="$tmp/bin" timeout 900 go install "golang.org/x/vulndb/cmd/indexdb@$VULNDB_VERSION")
timeout 300 "$tmp/bin/indexdb" -vulns "$vulndb/data/osv" -out "$tmp/db"

entries=$(find "$tmp/db/ID" -name 'GO-*.json' | wc -l)
newest=$(find "$tmp/db/ID" -name 'GO-*.json' -printf '%f\n' | sort -V | tail -n 1)
echo "vulnerability database: golang.org/x/vulndb@$VULNDB_VERSION"
echo "  vulndb commit time:  $committed"
echo "  entries:             $entries (newest ${newest%.json})"
echo "  index/db.json:       $(cat "$tmp/db/index/db.json")"

echo "== govulncheck $VULN_VERSION on ./... ($(go version | cut -d' ' -f3))"
cd "$root"
status=0
timeout 1200 "$govulncheck" -db "file://$tmp/db" "$@" ./... || status=$?
echo "govulncheck exit code: $status (vulncheck.sh took ${SECONDS}s)"
exit "$status"
