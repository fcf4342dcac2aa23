#!/usr/bin/env bash
# Checks that the committed offline query data (engine/.sqlx) matches the
# store's compile-time checked queries against a database migrated from
# scratch. With `--write`, regenerates it instead (run after changing a query
# or a migration, then commit engine/.sqlx).
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="$PWD/target/tools/bin:$PATH"
mkdir -p target/sqlx
export DATABASE_URL="sqlite:$PWD/target/sqlx/devos.db"
unset SQLX_OFFLINE
sqlx database reset -y --source migrations >/dev/null
cd engine
if [[ "${1:-}" == "--write" ]]; then
  cargo sqlx prepare
else
  cargo sqlx prepare --check
fi
