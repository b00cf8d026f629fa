#!/usr/bin/env bash
# Regenerates gateway/TradeFinder.Gateway/aot-method-order.txt, the method layout of the Native AOT build: the gateway
# executable's functions, those most often on a sampled stack first, so that a request's code shares few pages. The
# project hands the file to ILC (`IlcOrderFile`, i.e. `--order` with `--method-layout:explicit`) when it exists; names
# it does not know are skipped, so a stale file costs layout, never a build. Run it after the request path changes.
# Samples come from perf under the hop benchmark's closed-loop exchange-time, signed-read and order load (needs perf
# and nginx, installed as for infra/scripts/perf-hop.sh; as root it raises perf's sample rate limit).
# Usage: bash infra/scripts/aot-method-order.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

source infra/scripts/hop-common.sh
command -v perf >/dev/null 2>&1 || { echo "perf is missing: apt-get install linux-perf" >&2; exit 2; }
ensure_nginx
if [ "$(id -u)" = 0 ]; then
  sysctl -q -w kernel.perf_event_max_sample_rate=50000
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/tradefinder-order.XXXXXX")"
trap 'rm -rf "$work"' EXIT
dotnet build TradeFinder.sln -c Release --nologo -v quiet
publish_gateway_aot "$work/aot"

for kind in time balance order; do
  HOP_TRACE="$work/$kind.data" HOP_TRACE_CPU=perf HOP_TRACE_FREQ=20000 HOP_TRACE_KIND="$kind" \
    HOP_GATEWAY_DLL="$work/aot/TradeFinder.Gateway" \
    dotnet run -c Release --no-build --project tests/TradeFinder.Benchmarks -- hop 10 1 10 20
  perf script -i "$work/$kind.data" -F ip,sym,dso 2>/dev/null >> "$work/stacks.txt"
done

# A stack frame reads "<address> <symbol>+0x<offset> (<object>)": keep the executable's named frames, count each
# function over every sample of every kind, most frequent first (ties by name, so the file is reproducible).
grep -E ' \(.*/TradeFinder\.Gateway\)$' "$work/stacks.txt" \
  | sed -E 's/^[[:space:]]*[0-9a-f]+ //; s/ \(.*\)$//; s/\+0x[0-9a-f]+$//' \
  | grep -v -x '\[unknown\]' \
  | LC_ALL=C sort | uniq -c | LC_ALL=C sort -k1,1nr -k2 | sed -E 's/^ *[0-9]+ //' \
  > gateway/TradeFinder.Gateway/aot-method-order.txt
echo "$(wc -l < gateway/TradeFinder.Gateway/aot-method-order.txt) functions written to gateway/TradeFinder.Gateway/aot-method-order.txt"
