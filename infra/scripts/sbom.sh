#!/usr/bin/env bash
# CycloneDX SBOMs (JSON) of the three deployables, with the tool version pinned in .config/dotnet-tools.json.
#   bash infra/scripts/sbom.sh [OUTPUT_DIR]     (default artifacts/sbom)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="${1:-artifacts/sbom}"
dotnet tool restore >/dev/null
for project in gateway/TradeFinder.Gateway gateway/TradeFinder.PaperExchange bots/TradeFinder.Bots.Samples; do
  name="$(basename "$project")"
  dotnet CycloneDX "$project/$name.csproj" --output "$out" --filename "$name.cdx.json" --output-format Json >/dev/null
  echo "$out/$name.cdx.json"
done
