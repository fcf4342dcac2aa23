#!/usr/bin/env bash
# Builds the browser half of DevOS into target/site: the hydrate wasm (via
# wasm-bindgen), the stylesheet and the public assets. This is what
# `cargo leptos build` does for the front end, without its 13-minute install.
#
# --release builds the wasm in the wasm-release profile, drops its `name`
# section (about half the file: function names only a debugger reads) and
# shrinks it with wasm-opt (-Oz minus one pass, see below). wasm-opt comes
# from the npm `binaryen` package, installed into .tools on first use.
# Debian's `binaryen` package is never used: its wasm-opt 108 produces a
# module the browser cannot hydrate with (shared/TOOLCHAIN.md).
# Usage: scripts/build-site.sh [--release]
set -euo pipefail
cd "$(dirname "$0")/.."

BINARYEN_VERSION=132.0.0
TOOLS=.tools
WASM_OPT="$TOOLS/node_modules/.bin/wasm-opt"
say() { printf '\033[1m[site]\033[0m %s\n' "$*"; }

release=false
case "${1:-}" in
  "") ;;
  --release) release=true ;;
  -h | --help)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    printf 'build-site.sh: unknown argument %s (try --help)\n' "$1" >&2
    exit 2
    ;;
esac

profile=debug
cargo_profile=()
if $release; then
  profile=wasm-release
  cargo_profile=(--profile wasm-release)
fi

# Installs npm binaryen $BINARYEN_VERSION into .tools unless it is there already.
ensure_wasm_opt() {
  local manifest="$TOOLS/node_modules/binaryen/package.json"
  if [[ -x "$WASM_OPT" ]] && grep -q "\"version\": \"$BINARYEN_VERSION\"" "$manifest" 2>/dev/null; then
    return
  fi
  if ! command -v npm >/dev/null; then
    printf 'build-site.sh: --release needs npm to install binaryen (wasm-opt); install Node.js and npm\n' >&2
    exit 1
  fi
  say "installing npm binaryen $BINARYEN_VERSION (wasm-opt) into $TOOLS"
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION"
}

if $release; then
  ensure_wasm_opt
fi

cargo build -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate "${cargo_profile[@]}"

site=target/site
pkg="$site/pkg"
rm -rf "$pkg.tmp"
mkdir -p "$pkg.tmp"
bindgen_flags=()
if $release; then
  bindgen_flags=(--remove-name-section --remove-producers-section)
fi
wasm-bindgen --target web --no-typescript "${bindgen_flags[@]}" --out-dir "$pkg.tmp" --out-name devos \
  "target/wasm32-unknown-unknown/$profile/app.wasm"
# Leptos asks for /pkg/devos.wasm (LEPTOS_OUTPUT_NAME is set at compile time).
if $release; then
  # -Oz, but without its inlining of functions called once: on this app that
  # inlining makes the code 15% less compressible, so the gzipped download
  # grew (569 KB against 490 KB without it, 502 KB with no wasm-opt at all).
  # The --enable flags name the features rustc's wasm32 target emits (Rust
  # 1.87+), so wasm-opt keeps and uses them.
  "$WASM_OPT" -Oz --skip-pass=inlining-optimizing \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    -o "$pkg.tmp/devos.wasm" "$pkg.tmp/devos_bg.wasm"
  rm "$pkg.tmp/devos_bg.wasm"
else
  mv "$pkg.tmp/devos_bg.wasm" "$pkg.tmp/devos.wasm"
fi
cp style/main.css "$pkg.tmp/devos.css"
rm -rf "$pkg"
mv "$pkg.tmp" "$pkg"
cp -r public/. "$site/"
if $release; then
  wasm_bytes=$(wc -c <"$pkg/devos.wasm")
  gzip_bytes=$(gzip -9 -c "$pkg/devos.wasm" | wc -c)
  say "$pkg/devos.wasm: $wasm_bytes bytes, $gzip_bytes gzipped (gzip -9)"
fi
