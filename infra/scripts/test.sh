#!/usr/bin/env bash
# Runs every test project in the solution and ends with "N passed, N failed".
# It starts what the tests need by itself (see start-test-services.sh); point TRADEFINDER_TEST_PG at your
# own PostgreSQL to skip the throw-away cluster.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

results="$(mktemp -d "${TMPDIR:-/tmp}/tradefinder-tests.XXXXXX")"
cleanup() { rm -rf "$results"; [ -n "${STOP_TEST_SERVICES:-}" ] && eval "$STOP_TEST_SERVICES" || true; }
trap cleanup EXIT

# shellcheck source=start-test-services.sh
source infra/scripts/start-test-services.sh

# Third-party Binance clients (ccxt, binance) for the drop-in compatibility tests, pinned by the lock file.
if [ ! -d tests/compat/node_modules ]; then
  npm ci --prefix tests/compat --no-audit --no-fund --loglevel=error
fi

# Locked restore: exactly the packages the lock files name, or the build stops (supply chain, docs/SECURITY.md).
dotnet restore TradeFinder.sln --locked-mode --nologo -v quiet
dotnet build TradeFinder.sln -c Release --no-restore --nologo -v quiet
status=0
dotnet test TradeFinder.sln -c Release --no-build --nologo -v quiet \
  --logger "trx" --results-directory "$results" -- RunConfiguration.TreatNoTestsAsError=true || status=$?

passed=0; failed=0; files=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  e="$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0}))
done
# Failed tests' messages, so a CI log explains a red run without the (deleted) result files.
if [ "$failed" -gt 0 ]; then
  for trx in "$results"/*.trx; do
    python3 - "$trx" <<'PY' 2>/dev/null || grep -o '<Message>[^<]*' "$trx" || true
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for r in ET.parse(sys.argv[1]).getroot().iterfind(".//t:UnitTestResult", ns):
    if r.get("outcome") == "Failed":
        msg = r.find(".//t:Message", ns); trace = r.find(".//t:StackTrace", ns)
        print("FAILED", r.get("testName")); print((msg.text or "") if msg is not None else "")
        print("\n".join(((trace.text or "") if trace is not None else "").splitlines()[:8]))
PY
  done >&2
fi
if [ "$files" -eq 0 ] && [ "$status" -eq 0 ]; then status=1; echo "no test results were written" >&2; fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"
