# DevOS: `make run` serves at http://127.0.0.1:8080, `make test` runs every check.
# Both install what is missing first (scripts/setup.sh) and are quick when it is there.

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/.tools/node_modules/.bin:$(PATH)
# The store's queries are checked at compile time against engine/.sqlx, never
# a live database (scripts/sqlx-check.sh keeps that data true).
export SQLX_OFFLINE := true

.PHONY: run test setup build site server lint fmt-check clippy judge-deps sqlx-check sqlx-prepare rust-test eval install-check e2e bench soak release

run: setup build
	./target/debug/devos serve

test: setup fmt-check clippy judge-deps sqlx-check rust-test build eval install-check e2e

setup:
	@scripts/setup.sh

build: site server

site:
	scripts/build-site.sh

server:
	cargo build -p server --features ssr

fmt-check:
	cargo fmt --all -- --check

clippy:
	cargo clippy --workspace --all-targets --features server/ssr -- -D warnings
	cargo clippy -p app --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

# The judgement core stays pure: none of the heavy crates in its tree.
judge-deps:
	@if cargo tree -p judge -e normal --prefix none | grep -E '^(sqlx|aws-|git2|notify|landlock|tokio|reqwest|sysinfo|nix) '; then \
	  echo "judge must not depend on the crates above (docs/ARCHITECTURE.md)"; exit 1; fi

# The committed offline query data matches the queries (scripts/sqlx-check.sh).
sqlx-check:
	scripts/sqlx-check.sh

# Regenerates engine/.sqlx after a query or migration changes.
sqlx-prepare:
	scripts/sqlx-check.sh --write

rust-test:
	cargo test --workspace --features server/ssr

# The built-in planner's public eval: every case in a fresh folder (docs/EVAL.md).
eval:
	DEVOS_LOG=warn ./target/debug/devos eval eval/cases.toml

# scripts/install.sh into a temp prefix and home, with the debug build (docs/INSTALL.md).
install-check:
	scripts/test-install.sh

e2e:
	cd end2end && npm test

bench:
	cargo bench -p engine

# The long load test: 10,000 jobs from 50 clients (about 10 minutes here).
soak: setup
	DEVOS_LOAD_JOBS=10000 DEVOS_LOAD_CLIENTS=50 cargo test -p server --features ssr --test all -- suite::load --nocapture

release: setup
	scripts/build-site.sh --release
	cargo build --release -p server --features ssr
