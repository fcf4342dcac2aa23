#!/usr/bin/env bash
# Installs what building and testing DevOS needs, skipping whatever is already
# there: the wasm32 target, wasm-bindgen-cli (same version as in Cargo.lock),
# sqlx-cli under target/tools (it checks the store's offline query data),
# Debian's Chromium (for the browser tests), the end2end npm packages and moto
# (the AWS emulator the AWS tests run against) in a virtual environment under target/.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
SQLX_CLI_VERSION=0.8.6
MOTO_VERSION=5.1.18
MOTO_VENV=target/moto-venv
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes, once)"
  # Not --locked: its lockfile pins a crate version the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [[ "$(target/tools/bin/sqlx --version 2>/dev/null)" != "sqlx-cli $SQLX_CLI_VERSION" ]]; then
  say "installing sqlx-cli $SQLX_CLI_VERSION into target/tools (about 2 minutes, once)"
  cargo install sqlx-cli --version "$SQLX_CLI_VERSION" --locked --no-default-features \
    --features sqlite --root target/tools
fi

if ! command -v chromium >/dev/null && [[ ! -x /usr/bin/chromium ]]; then
  say "installing Debian's chromium for the browser tests"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if ! command -v python3 >/dev/null; then
  say "installing python3 (python steps run with it)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 >/dev/null
fi

if [[ ! -d end2end/node_modules/@playwright/test ]] \
   || [[ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]]; then
  say "installing the end2end npm packages"
  (cd end2end && npm ci --no-audit --no-fund)
fi

if [[ "$("$MOTO_VENV/bin/python" -c 'import moto; print(moto.__version__)' 2>/dev/null)" != "$MOTO_VERSION" ]]; then
  say "installing moto $MOTO_VERSION (the AWS emulator) into $MOTO_VENV"
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  fi
  rm -rf "$MOTO_VENV"
  python3 -m venv "$MOTO_VENV"
  "$MOTO_VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi
