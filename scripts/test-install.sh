#!/usr/bin/env bash
# The `bash -c '…' _ ARGS` checks expand their arguments inside on purpose.
# shellcheck disable=SC2016
# CI check for scripts/install.sh and scripts/uninstall.sh: installs the debug
# build (--debug --no-enable) into a temporary prefix and a temporary HOME,
# XDG_CONFIG_HOME and XDG_DATA_HOME, checks the files, their modes and the
# unit, verifies the unit with systemd-analyze when it is there, runs the
# installed binary the way the unit would, then proves that installing twice
# changes nothing, that a re-install follows the config, and that uninstalling
# keeps the config and data unless --purge. Nothing of the real user is read
# or written, and neither root nor a running systemd is needed.
# Stops at the first failed check with a non-zero status.
# Usage: scripts/test-install.sh (KEEP_TMP=1 keeps the temporary directory)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
passed=0
server_pid=""

tmp=$(mktemp -d "${TMPDIR:-/tmp}/devos-install-test.XXXXXX")
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  if [[ ${KEEP_TMP:-} == 1 ]]; then
    printf 'kept %s\n' "$tmp"
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

ok() {
  passed=$((passed + 1))
  printf 'ok %d - %s\n' "$passed" "$*"
}
fail() {
  printf 'FAIL - %s\n' "$*" >&2
  printf '%d passed, 1 failed\n' "$passed"
  exit 1
}
# check DESCRIPTION COMMAND...: one numbered check.
check() {
  local what=$1
  shift
  if "$@"; then ok "$what"; else fail "$what"; fi
}
mode_is() { [[ -e $2 && $(stat -c %a "$2") == "$1" ]]; }
# The unit has this exact line, once.
unit_has() { [[ $(grep -cxF -- "$1" "$unit") == 1 ]]; }
log_has() { grep -qF -- "$2" "$1"; }
quiet() { "$@" >/dev/null 2>&1; }
# Runs a script with its output kept in LOG and shown indented.
run_logged() {
  local log=$1
  shift
  if "$@" >"$log" 2>&1; then
    sed 's/^/    | /' "$log"
  else
    sed 's/^/    | /' "$log"
    fail "$* exited with an error"
  fi
}

# ---------------------------------------------------------------- a private world

# Cargo and rustup stay where they are (install.sh may need `make build`);
# everything DevOS or systemd would read or write moves into $tmp.
export CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
export RUSTUP_HOME=${RUSTUP_HOME:-$HOME/.rustup}
export PATH="$CARGO_HOME/bin:$PATH"
export HOME=$tmp/home
export XDG_CONFIG_HOME=$tmp/config
export XDG_DATA_HOME=$tmp/data
# No session bus and no user manager here: install/uninstall cannot reach the
# real user's systemd, whatever this machine runs.
export XDG_RUNTIME_DIR=$tmp/run
unset DBUS_SESSION_BUS_ADDRESS DEVOS_CONFIG DEVOS_DATA_DIR DEVOS_ADDR DEVOS_LOG LEPTOS_SITE_ROOT
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$tmp/work"
install -d -m 0700 "$XDG_RUNTIME_DIR"

prefix=$tmp/prefix
bin=$prefix/bin/devos
site=$prefix/share/devos/site
config=$XDG_CONFIG_HOME/devos/devos.toml
data=$XDG_DATA_HOME/devos
unit=$XDG_CONFIG_HOME/systemd/user/devos.service
root=$HOME/projects
install=("$repo/scripts/install.sh" --debug --no-enable --prefix "$prefix")
uninstall=("$repo/scripts/uninstall.sh" --prefix "$prefix")

printf 'testing the installer in %s\n' "$tmp"

check "install.sh --help exits 0" quiet "$repo/scripts/install.sh" --help
check "uninstall.sh --help exits 0" quiet "$repo/scripts/uninstall.sh" --help
check "install.sh refuses an unknown argument" bash -c '! "$@" >/dev/null 2>&1' _ "$repo/scripts/install.sh" --bogus
check "install.sh refuses a bad --memory-max" bash -c '! "$@" >/dev/null 2>&1' _ "${install[@]}" --memory-max lots

# ---------------------------------------------------------------- first install

printf 'install #1: %s\n' "${install[*]}"
run_logged "$tmp/install1.log" "${install[@]}"

check "binary installed, mode 755" mode_is 755 "$bin"
check "site installed (dir 755, devos.wasm/js/css 644)" bash -c '
  [[ $(stat -c %a "$1") == 755 ]] || exit 1
  for f in devos.wasm devos.js devos.css; do [[ $(stat -c %a "$1/pkg/$f") == 644 ]] || exit 1; done' _ "$site"
check "installed wasm is the built one" cmp -s "$repo/target/site/pkg/devos.wasm" "$site/pkg/devos.wasm"
check "config written, mode 600, in a 700 dir" bash -c \
  '[[ $(stat -c %a "$1") == 600 && $(stat -c %a "$(dirname "$1")") == 700 ]]' _ "$config"
check "data dir created, mode 700" mode_is 700 "$data"
check "workspace root created ($root)" test -d "$root"
check "unit installed, mode 644" mode_is 644 "$unit"
for line in \
  "Type=notify" "NotifyAccess=main" "WatchdogSec=30" "Restart=on-failure" \
  "NoNewPrivileges=yes" "PrivateTmp=yes" "ProtectSystem=strict" "MemoryMax=2G" "Delegate=yes" \
  "ExecStart=$bin serve" "Environment=DEVOS_CONFIG=$config" \
  "Environment=LEPTOS_SITE_ROOT=$site" "Environment=DEVOS_DATA_DIR=$data" \
  "ReadWritePaths=$data -$root" "WantedBy=default.target"; do
  check "unit has '$line'" unit_has "$line"
done
check "no directive appears twice in the unit" bash -c \
  '[[ -z $(grep -v -e "^#" -e "^$" "$1" | cut -d= -f1 | grep -v -x -e Environment | sort | uniq -d) ]]' _ "$unit"
check "install output says where the logs are" log_has "$tmp/install1.log" "journalctl --user -u devos"

verify_unit() {
  local out
  out=$(systemd-analyze --user verify "$unit" 2>&1) || {
    printf '%s\n' "$out" >&2
    return 1
  }
  [[ -z $out ]] || {
    printf '%s\n' "$out" >&2
    return 1
  }
}
if command -v systemd-analyze >/dev/null; then
  check "systemd-analyze --user verify finds nothing to say" verify_unit
else
  printf 'skip - systemd-analyze is not installed: the unit was not verified\n'
fi

# ---------------------------------------------------------------- the installed binary

check "installed binary prints its version" bash -c '[[ $("$1" --version) =~ ^devos\ [0-9]+\.[0-9]+\.[0-9]+ ]]' _ "$bin"

# A port nobody listens on (bash's /dev/tcp fails to connect to it).
port=""
for _ in $(seq 50); do
  candidate=$((20000 + RANDOM % 40000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    port=$candidate
    break
  fi
done
[[ -n $port ]] || fail "found no free port"

# The unit's own environment, plus a test address.
mapfile -t unit_env < <(sed -n 's/^Environment=//p' "$unit")
(cd "$tmp/work" && exec env "${unit_env[@]}" DEVOS_ADDR="127.0.0.1:$port" DEVOS_LOG=info "$bin" serve) \
  >"$tmp/server.log" 2>&1 &
server_pid=$!
base=http://127.0.0.1:$port

wait_for_health() {
  local deadline=$((SECONDS + 20))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      sed 's/^/    | /' "$tmp/server.log" >&2
      printf 'the server exited before answering\n' >&2
      return 1
    fi
    if curl -fsS --max-time 2 "$base/health" 2>/dev/null | grep -q '"status":"ok"'; then
      return 0
    fi
    sleep 0.2
  done
  sed 's/^/    | /' "$tmp/server.log" >&2
  printf 'no answer from %s/health within 20 s\n' "$base" >&2
  return 1
}
check "devos serve answers /health (installed site and config, port $port)" wait_for_health
check "/login is served and loads /pkg/devos.wasm" bash -c \
  'curl -fsS --max-time 5 "$1/login" | grep -q "/pkg/devos.wasm"' _ "$base"
check "/pkg/devos.wasm is the installed file" bash -c \
  'curl -fsS --max-time 10 "$1/pkg/devos.wasm" | cmp -s - "$2"' _ "$base" "$site/pkg/devos.wasm"
check "the server logs the installed site root" log_has "$tmp/server.log" "$site"
check "the server keeps its data in the installed data dir" bash -c \
  '[[ -n $(find "$1" -mindepth 1 -print -quit) ]]' _ "$data"

stop_server() {
  kill -TERM "$server_pid"
  local deadline=$((SECONDS + 15))
  while kill -0 "$server_pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      printf 'the server did not stop within 15 s of SIGTERM\n' >&2
      return 1
    fi
    sleep 0.1
  done
  local status=0
  wait "$server_pid" || status=$?
  server_pid=""
  [[ $status == 0 ]] || {
    printf 'the server exited with status %s\n' "$status" >&2
    return 1
  }
}
check "SIGTERM stops the server with status 0" stop_server

# ---------------------------------------------------------------- idempotence

sums() { sha256sum "$config" "$unit" "$bin" "$site/pkg/devos.wasm" | awk '{print $1}'; }
before=$(sums)
printf 'install #2 (same command)\n'
run_logged "$tmp/install2.log" "${install[@]}"
check "second install changes no file (config, unit, binary, site)" test "$before" == "$(sums)"
check "second install says the config was kept" log_has "$tmp/install2.log" "config kept"
check "no temporary files left behind" bash -c \
  '[[ -z $(find "$@" -name ".*.new.*" -o -name ".*.old.*") ]]' _ "$prefix" "$XDG_CONFIG_HOME"

# The user edits the config: a re-install keeps it and the unit follows it.
mkdir -p "$HOME/my projects"
printf '\n[workspace]\nroots = ["%s", "%s"]\n' "$root" "$HOME/my projects" >>"$config"
config_sum=$(sha256sum "$config")
printf 'install #3 (edited roots, --memory-max 1G)\n'
run_logged "$tmp/install3.log" "${install[@]}" --memory-max 1G
check "re-install never rewrites an edited config" test "$config_sum" == "$(sha256sum "$config")"
check "the unit follows the config's roots" unit_has "ReadWritePaths=$data -$root \"-$HOME/my projects\""
check "the unit follows --memory-max" unit_has "MemoryMax=1G"
if command -v systemd-analyze >/dev/null; then
  check "systemd-analyze --user verify accepts the quoted root" verify_unit
fi
unit_sum=$(sha256sum "$unit")
run_logged "$tmp/install4.log" "${install[@]}" --memory-max 1G
check "the same re-install again leaves the unit as it was" test "$unit_sum" == "$(sha256sum "$unit")"

# A broken config stops the installer before it changes anything.
cp "$config" "$tmp/config.good"
printf '[sandbox]\ntimeout_secs = "soon"\n' >>"$config"
printf 'install #5 (broken config)\n'
if "${install[@]}" --memory-max 4G >"$tmp/install5.log" 2>&1; then
  sed 's/^/    | /' "$tmp/install5.log"
  fail "install accepted a config DevOS cannot load"
fi
sed 's/^/    | /' "$tmp/install5.log"
check "install names the broken key" log_has "$tmp/install5.log" "sandbox.timeout_secs"
check "a failed install leaves the unit as it was" test "$unit_sum" == "$(sha256sum "$unit")"
cp "$tmp/config.good" "$config"

# ---------------------------------------------------------------- uninstall

printf 'uninstall #1: %s\n' "${uninstall[*]}"
run_logged "$tmp/uninstall1.log" "${uninstall[@]}"
check "uninstall removes the unit" test ! -e "$unit"
check "uninstall removes the binary" test ! -e "$bin"
check "uninstall removes the site" test ! -e "$prefix/share/devos"
check "uninstall keeps the config" test "$config_sum" == "$(sha256sum "$config")"
check "uninstall keeps the data" test -d "$data"

printf 'uninstall #2 (nothing installed)\n'
run_logged "$tmp/uninstall2.log" "${uninstall[@]}"
check "a second uninstall says there is nothing to remove" log_has "$tmp/uninstall2.log" "nothing to remove"
check "a second uninstall still keeps config and data" test -f "$config" -a -d "$data"

printf 'uninstall --purge\n'
run_logged "$tmp/purge1.log" "${uninstall[@]}" --purge
check "--purge removes the config" test ! -e "$XDG_CONFIG_HOME/devos"
check "--purge removes the data" test ! -e "$data"
check "--purge leaves the workspace roots alone" test -d "$root" -a -d "$HOME/my projects"
run_logged "$tmp/purge2.log" "${uninstall[@]}" --purge
check "a second --purge says there is nothing to remove" log_has "$tmp/purge2.log" "nothing to remove"

# ---------------------------------------------------------------- with a service manager

# A stand-in systemctl that records its calls and behaves like a user manager
# reading $XDG_CONFIG_HOME/systemd/user: enough to check what the scripts ask
# of systemd, on machines where none runs.
mkdir -p "$tmp/fakebin"
cat >"$tmp/fakebin/systemctl" <<'EOF'
#!/usr/bin/env bash
printf '%s\n' "$*" >>"$FAKE_SYSTEMCTL_LOG"
case "$*" in
  "--user show --property=UnitPath --value") printf '%s/systemd/user /usr/lib/systemd/user\n' "$XDG_CONFIG_HOME" ;;
  "--user is-active --quiet devos.service") [[ -e $FAKE_SYSTEMCTL_LOG.active ]] ;;
  "--user start devos.service" | "--user restart devos.service") touch "$FAKE_SYSTEMCTL_LOG.active" ;;
  "--user stop devos.service") rm -f "$FAKE_SYSTEMCTL_LOG.active" ;;
esac
EOF
chmod +x "$tmp/fakebin/systemctl"
export FAKE_SYSTEMCTL_LOG=$tmp/systemctl.log
# The calls since the last look, queries left out, joined with `;`.
calls() {
  grep -v -e ' show ' -e ' is-active ' "$FAKE_SYSTEMCTL_LOG" | paste -sd ';'
  rm -f "$FAKE_SYSTEMCTL_LOG"
}
enable_install=("$repo/scripts/install.sh" --debug --prefix "$prefix")

printf 'install with a (stand-in) user manager\n'
PATH="$tmp/fakebin:$PATH" run_logged "$tmp/enable1.log" "${enable_install[@]}"
check "install reloads, enables and starts the unit" \
  test "$(calls)" == "--user daemon-reload;--user enable devos.service;--user start devos.service"
PATH="$tmp/fakebin:$PATH" run_logged "$tmp/enable2.log" "${enable_install[@]}"
check "installing over a running DevOS restarts it" \
  test "$(calls)" == "--user daemon-reload;--user enable devos.service;--user restart devos.service"
PATH="$tmp/fakebin:$PATH" run_logged "$tmp/enable3.log" "${uninstall[@]}" --purge
check "uninstall stops and disables the unit, then reloads" \
  test "$(calls)" == "--user stop devos.service;--user disable devos.service;--user daemon-reload;--user reset-failed devos.service"
check "nothing is left after --purge" bash -c \
  '[[ ! -e $1/systemd/user/devos.service && ! -e $1/devos && ! -e $2 && ! -e $3/bin/devos ]]' _ "$XDG_CONFIG_HOME" "$data" "$prefix"

printf '%d passed, 0 failed\n' "$passed"
