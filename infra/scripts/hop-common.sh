#!/usr/bin/env bash
# Shared by perf-hop.sh and aot-method-order.sh (sourced, from the repository root): what the hop benchmark needs
# besides .NET, and the gateway's Native AOT build.

# Debian's nginx, the comparison proxy: installed when missing (as root, with apt); no service is started.
ensure_nginx() {
  [ -x /usr/sbin/nginx ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing nginx (the comparison proxy; no service is started by this script)"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get install -y -qq --no-install-recommends --no-upgrade nginx-light >/dev/null 2>&1 \
      || apt-get install -y -qq --no-install-recommends --no-upgrade nginx >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends --no-upgrade nginx >/dev/null; }; }
    { command -v systemctl >/dev/null 2>&1 && systemctl stop nginx >/dev/null 2>&1; } || true
  else
    echo "nginx is missing: install it (apt-get install nginx) and run again" >&2
    exit 2
  fi
}

# The gateway compiled with Native AOT into $1 (as the image ships it; needs clang and zlib1g-dev).
publish_gateway_aot() {
  dotnet publish gateway/TradeFinder.Gateway -c Release -r linux-x64 -p:PublishAot=true -o "$1" --nologo -v quiet
}
