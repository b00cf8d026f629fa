#!/usr/bin/env bash
# The gateway's hop against nginx, in one run on this machine (docs/PERFORMANCE.md): the standalone paper exchange,
# nginx (TLS 1.3, client certificate required) and the gateway (testnet mode, published ReadyToRun as the images
# ship it) as separate processes; the load generator in tests/TradeFinder.Benchmarks.
# Usage: bash infra/scripts/perf-hop.sh [seconds per run] [rounds] [flood seconds] [rates, e.g. 20,200,1000]
# HOP_AOT=1 measures the gateway compiled with Native AOT instead (`-p:PublishAot=true`; needs clang, as Debian's
# build-essential and zlib1g-dev provide).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

source infra/scripts/hop-common.sh
ensure_nginx

dotnet build TradeFinder.sln -c Release --nologo -v quiet
published="$(mktemp -d "${TMPDIR:-/tmp}/tradefinder-hop.XXXXXX")"
trap 'rm -rf "$published"' EXIT
if [ "${HOP_AOT:-0}" = 1 ]; then
  publish_gateway_aot "$published"
  gateway="$published/TradeFinder.Gateway"
else
  dotnet publish gateway/TradeFinder.Gateway -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$published" --nologo -v quiet
  gateway="$published/TradeFinder.Gateway.dll"
fi
HOP_GATEWAY_DLL="$gateway" \
  dotnet run -c Release --no-build --project tests/TradeFinder.Benchmarks -- hop "${1:-20}" "${2:-3}" "${3:-60}" "${4:-20,200,1000}"
