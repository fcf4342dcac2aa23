#!/usr/bin/env bash
# Builds the browser half of DevOS into target/site: the hydrate wasm (via
# wasm-bindgen), the stylesheet and the public assets. This is what
# `cargo leptos build` does for the front end, without its 13-minute install.
# Usage: scripts/build-site.sh [--release]
set -euo pipefail
cd "$(dirname "$0")/.."

profile=debug
cargo_profile=()
if [[ "${1:-}" == "--release" ]]; then
  profile=wasm-release
  cargo_profile=(--profile wasm-release)
fi

cargo build -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate "${cargo_profile[@]}"

site=target/site
pkg="$site/pkg"
mkdir -p "$pkg.tmp"
wasm-bindgen --target web --no-typescript --out-dir "$pkg.tmp" --out-name devos \
  "target/wasm32-unknown-unknown/$profile/app.wasm"
# Leptos asks for /pkg/devos.wasm (LEPTOS_OUTPUT_NAME is set at compile time).
mv "$pkg.tmp/devos_bg.wasm" "$pkg.tmp/devos.wasm"
cp style/main.css "$pkg.tmp/devos.css"
rm -rf "$pkg"
mv "$pkg.tmp" "$pkg"
cp -r public/. "$site/"
