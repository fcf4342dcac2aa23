#!/usr/bin/env bash
# Installs DevOS as a systemd service (docs/INSTALL.md).
#
# Usage: scripts/install.sh [--prefix DIR] [--system] [--debug] [--no-enable] [--memory-max SIZE]
#
#   (default)          build a release (scripts/build-site.sh --release, then
#                      cargo build --release -p server --features ssr) and install
#                      it for you: binary in ~/.local/bin, site in ~/.local/share/devos,
#                      config in ~/.config/devos/devos.toml, a systemd user unit in
#                      ~/.config/systemd/user/devos.service, enabled and started.
#   --prefix DIR       install the binary in DIR/bin and the site in DIR/share/devos
#                      (default ~/.local, or /usr/local with --system).
#   --system           install for a dedicated `devos` service user (needs root):
#                      unit in /etc/systemd/system, config in /etc/devos/devos.toml,
#                      data in /var/lib/devos.
#   --debug            install the debug build already in ./target (./target/debug/devos
#                      and ./target/site, built with `make build` when missing) instead
#                      of building a release. Quick; CI uses it (scripts/test-install.sh).
#   --no-enable        write everything but do not reload, enable or start the unit.
#   --memory-max SIZE  the unit's MemoryMax= (default 2G): DevOS and every job step it
#                      runs together, e.g. 1G, 4G, 50%, infinity.
#   -h, --help         show this help.
#
# Running it again updates the binary, site and unit and leaves the config alone;
# it never overwrites an existing config. Remove with scripts/uninstall.sh.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
log_tag='[install]'
usage() { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; }
# shellcheck source=packaging/lib.sh
. "$repo/packaging/lib.sh"

prefix=""
system=false
debug=false
enable=true
memory_max=2G
while [[ $# -gt 0 ]]; do
  case "$1" in
    --prefix)
      [[ $# -ge 2 && -n "$2" ]] || die "--prefix needs a directory"
      prefix=$2
      shift 2
      ;;
    --prefix=*)
      prefix=${1#--prefix=}
      shift
      ;;
    --memory-max)
      [[ $# -ge 2 && -n "$2" ]] || die "--memory-max needs a size such as 2G"
      memory_max=$2
      shift 2
      ;;
    --memory-max=*)
      memory_max=${1#--memory-max=}
      shift
      ;;
    --system) system=true && shift ;;
    --debug) debug=true && shift ;;
    --no-enable) enable=false && shift ;;
    -h | --help) usage && exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

[[ $memory_max =~ ^([0-9]+[KMGT]?|[0-9]{1,2}%|100%|infinity)$ ]] \
  || die "--memory-max '$memory_max' is not a size such as 512M, 2G, 50% or infinity"

# ---------------------------------------------------------------- helpers

# Copies SRC to DEST (mode MODE) unless DEST already has the same content.
install_file() {
  local src=$1 dest=$2 mode=$3 what=$4
  if [[ -f $dest ]] && cmp -s "$src" "$dest"; then
    chmod "$mode" "$dest"
    say "$what unchanged: $dest"
    return
  fi
  mkdir -p "$(dirname "$dest")"
  local tmp verb=installed
  [[ -e $dest ]] && verb=updated
  tmp="$(dirname "$dest")/.$(basename "$dest").new.$$"
  cp "$src" "$tmp"
  chmod "$mode" "$tmp"
  # A rename, so a running DevOS keeps its old file and nothing sees half a copy.
  mv -f "$tmp" "$dest"
  say "$what $verb: $dest"
}

# Replaces directory DEST by a copy of SRC, all at once.
install_tree() {
  local src=$1 dest=$2 what=$3
  local parent stage old
  parent=$(dirname "$dest")
  mkdir -p "$parent"
  stage="$parent/.$(basename "$dest").new.$$"
  old="$parent/.$(basename "$dest").old.$$"
  rm -rf "$stage" "$old"
  cp -R "$src" "$stage"
  chmod -R u=rwX,go=rX "$stage"
  if [[ -d $dest ]] && diff -r -q "$stage" "$dest" >/dev/null 2>&1; then
    rm -rf "$stage"
    say "$what unchanged: $dest"
    return
  fi
  local verb=installed
  if [[ -e $dest ]]; then
    mv "$dest" "$old"
    verb=updated
  fi
  mv "$stage" "$dest"
  rm -rf "$old"
  say "$what $verb: $dest"
}

# Runs a build command; under sudo, as the user who called sudo, so ./target
# does not fill up with files owned by root.
as_builder() {
  if [[ $(id -u) -eq 0 && -n ${SUDO_USER:-} && $SUDO_USER != root ]]; then
    local builder_home
    builder_home=$(getent passwd "$SUDO_USER" | cut -d: -f6)
    sudo -u "$SUDO_USER" -H env "PATH=$builder_home/.cargo/bin:$PATH" "$@"
  else
    "$@"
  fi
}

# ---------------------------------------------------------------- where things go

if $system; then
  [[ $(id -u) -eq 0 ]] || die "--system installs for the 'devos' service user and needs root: sudo $0 --system …"
  prefix=${prefix:-/usr/local}
  service_user=devos
  service_home=/var/lib/devos
  config_file=/etc/devos/devos.toml
  unit_dir=/etc/systemd/system
  default_data_dir=/var/lib/devos
  systemctl_scope=()
  journal_cmd="journalctl -u devos"
else
  [[ -n ${HOME:-} ]] || die "HOME is not set"
  prefix=${prefix:-$HOME/.local}
  service_home=$HOME
  config_home=${XDG_CONFIG_HOME:-$HOME/.config}
  config_file=$config_home/devos/devos.toml
  unit_dir=$config_home/systemd/user
  default_data_dir=${XDG_DATA_HOME:-$HOME/.local/share}/devos
  systemctl_scope=(--user)
  journal_cmd="journalctl --user -u devos"
fi
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
bin=$prefix/bin/devos
share=$prefix/share/devos
site=$share/site
unit=$unit_dir/devos.service

# ---------------------------------------------------------------- build

export PATH="$HOME/.cargo/bin:$repo/.tools/node_modules/.bin:$PATH"
cd "$repo"
if $debug; then
  src_bin=target/debug/devos
  if [[ ! -x $src_bin || ! -f target/site/pkg/devos.wasm ]]; then
    say "no debug build in ./target yet: running make build"
    as_builder make build
  else
    say "using the debug build in ./target (--debug)"
  fi
else
  src_bin=target/release/devos
  as_builder sh -c 'command -v cargo' >/dev/null || die "cargo not found: install Rust with rustup first"
  as_builder sh -c 'command -v wasm-bindgen' >/dev/null \
    || die "wasm-bindgen not found: run scripts/setup.sh (or make setup) first"
  say "building the release front end (scripts/build-site.sh --release)"
  as_builder scripts/build-site.sh --release
  say "building the release server (cargo build --release -p server --features ssr)"
  as_builder cargo build --release -p server --features ssr
fi
[[ -x $src_bin ]] || die "$src_bin was not built"
[[ -f target/site/pkg/devos.wasm ]] || die "target/site has no pkg/devos.wasm: the front end was not built"

# An existing config is checked by the new binary before anything changes, so
# a typo fails here, with DevOS's own message, rather than in the journal.
if [[ -e $config_file ]]; then
  if ! config_error=$(DEVOS_CONFIG=$config_file RUST_BACKTRACE=0 "$src_bin" check-command </dev/null 2>&1 >/dev/null); then
    die "$config_file does not load, nothing was changed: ${config_error%%$'\n'*}"
  fi
fi

# ---------------------------------------------------------------- service user

if $system; then
  if getent passwd "$service_user" >/dev/null; then
    say "service user '$service_user' exists"
  else
    command -v useradd >/dev/null || die "useradd not found: create a system user '$service_user' by hand"
    nologin=$(command -v nologin || echo /usr/sbin/nologin)
    useradd --system --user-group --home-dir "$service_home" --no-create-home \
      --shell "$nologin" --comment "DevOS service" "$service_user"
    say "created the service user '$service_user' (home $service_home)"
  fi
fi

# ---------------------------------------------------------------- files

install_file "$src_bin" "$bin" 0755 "binary"
install_tree target/site "$site" "site"
install_file config/devos.toml "$share/devos.toml.example" 0644 "documented defaults"

if [[ -e $config_file ]]; then
  config_note="kept: it already existed"
  say "config kept: $config_file (never overwritten)"
else
  config_dir=$(dirname "$config_file")
  if $system; then
    install -d -m 0750 -o root -g "$service_user" "$config_dir"
  else
    mkdir -p "$config_dir"
    chmod 0700 "$config_dir"
  fi
  tmp_config="$config_dir/.devos.toml.new.$$"
  cat >"$tmp_config" <<EOF
# DevOS configuration for the service installed by scripts/install.sh.
# Only the keys set here change anything; every other key keeps its built-in
# default. All keys, with what they mean: $share/devos.toml.example
#
# Under the service DevOS may write only in its data dir and the workspace
# roots (ProtectSystem=strict). After changing [workspace] roots or
# [storage] data_dir, run scripts/install.sh again so the unit follows.
# Command rules of your own go in security.toml beside this file.

# [server]
# addr = "127.0.0.1:8080"

# [workspace]
# Absolute paths. Unset: the first of ~/projects, ~/src, ~/code, ~/dev,
# ~/workspace that exists (the installer creates ~/projects when none does).
# roots = ["$service_home/projects"]

# [sandbox]
# timeout_secs = 120

# [budgets]
# daily_usd = 1.0
EOF
  if $system; then
    chown "root:$service_user" "$tmp_config"
    chmod 0640 "$tmp_config"
  else
    chmod 0600 "$tmp_config"
  fi
  mv "$tmp_config" "$config_file"
  config_note="written"
  say "config written: $config_file"
fi

# Data dir: [storage] data_dir, else the default. The unit pins it with
# DEVOS_DATA_DIR so the service and this script agree whatever the
# service manager's environment holds.
data_dir=$(toml_strings storage data_dir "$config_file" | head -n 1)
data_dir=${data_dir:-$default_data_dir}
[[ $data_dir == /* ]] || die "[storage] data_dir '$data_dir' in $config_file must be an absolute path"

# Workspace roots: [workspace] roots, else what DevOS picks under the unit.
mapfile -t roots < <(toml_strings workspace roots "$config_file")
if [[ ${#roots[@]} -eq 0 ]]; then
  for name in projects src code dev workspace; do
    if [[ -d $service_home/$name ]]; then
      roots=("$service_home/$name")
      break
    fi
  done
fi
if [[ ${#roots[@]} -eq 0 ]]; then
  # DevOS would fall back to its working directory, the home: far too wide to
  # watch or to make writable. A projects folder is what it looks for first.
  roots=("$service_home/projects")
  if $system; then
    install -d -m 0700 -o "$service_user" -g "$service_user" "$service_home"
    install -d -m 0750 -o "$service_user" -g "$service_user" "${roots[0]}"
  else
    mkdir -p "${roots[0]}"
  fi
  say "created the workspace root ${roots[0]} (set [workspace] roots to choose others)"
fi
for root in "${roots[@]}"; do
  [[ $root == /* ]] || die "[workspace] roots entry '$root' in $config_file must be an absolute path"
  [[ -d $root ]] || warn "workspace root $root does not exist; the unit starts without it (create it, then restart)"
done

if $system; then
  if [[ $data_dir != "$default_data_dir" ]]; then
    install -d -m 0700 -o "$service_user" -g "$service_user" "$data_dir"
  fi
else
  mkdir -p "$data_dir"
  chmod 0700 "$data_dir"
fi

# ---------------------------------------------------------------- the unit

writable=()
if ! $system || [[ $data_dir != "$default_data_dir" ]]; then
  writable+=("$(unit_quote "$data_dir")")
fi
for root in "${roots[@]}"; do
  # `-`: a root that is missing does not stop the service from starting.
  writable+=("$(unit_quote "-$root")")
done

tmp_unit=$(mktemp)
trap 'rm -f "$tmp_unit"' EXIT
{
  cat <<EOF
# Written by DevOS's scripts/install.sh; run it again rather than editing this
# file (it is rewritten). What each line is for: docs/INSTALL.md.
[Unit]
Description=DevOS: drive this machine in plain language
EOF
  if $system; then
    printf 'After=network.target\n'
  fi
  cat <<EOF

[Service]
Type=notify
NotifyAccess=main
WatchdogSec=30
ExecStart=$(unit_quote "$bin") serve
Environment=$(unit_quote "DEVOS_CONFIG=$config_file")
Environment=$(unit_quote "LEPTOS_SITE_ROOT=$site")
Environment=$(unit_quote "DEVOS_DATA_DIR=$data_dir")
EOF
  if $system; then
    cat <<EOF
User=$service_user
Group=$service_user
StateDirectory=devos
StateDirectoryMode=0700
WorkingDirectory=$(unit_quote "$service_home")
EOF
  fi
  cat <<EOF
Restart=on-failure
RestartSec=2s
# SIGTERM to DevOS alone: it stops its jobs' steps itself and marks them
# interrupted; whatever is left gets SIGKILL when TimeoutStopSec runs out.
KillMode=mixed
TimeoutStopSec=20s
# DevOS makes a control group per step (setsid cannot escape the timeout,
# sandbox.job_memory_mb caps a job's memory) inside the unit's own group.
Delegate=yes
MemoryMax=$memory_max
# A step that runs out of memory is killed; DevOS keeps serving.
OOMPolicy=continue
NoNewPrivileges=yes
PrivateTmp=yes
EOF
  if ! $system; then
    cat <<'EOF'
# A user manager may set up the namespaces below only inside a user namespace.
PrivateUsers=yes
EOF
  fi
  cat <<EOF
ProtectSystem=strict
ReadWritePaths=${writable[*]}

[Install]
EOF
  if $system; then
    printf 'WantedBy=multi-user.target\n'
  else
    printf 'WantedBy=default.target\n'
  fi
} >"$tmp_unit"
install_file "$tmp_unit" "$unit" 0644 "unit"

if command -v systemd-analyze >/dev/null; then
  verify_args=(verify)
  verify_env=()
  if ! $system; then
    verify_args=(--user verify)
    # Offline verification still wants a runtime dir; a shell without a
    # session (ssh without PAM, a container) has none.
    if [[ -z ${XDG_RUNTIME_DIR:-} || ! -d ${XDG_RUNTIME_DIR:-} ]]; then
      verify_runtime=$(mktemp -d)
      trap 'rm -f "$tmp_unit"; rm -rf "$verify_runtime"' EXIT
      verify_env=("XDG_RUNTIME_DIR=$verify_runtime")
    fi
  fi
  if verify_out=$(env "${verify_env[@]}" systemd-analyze "${verify_args[@]}" "$unit" 2>&1) && [[ -z $verify_out ]]; then
    say "systemd-analyze ${verify_args[*]}: the unit is valid"
  else
    warn "systemd-analyze ${verify_args[*]} $unit says:"
    printf '%s\n' "$verify_out" | sed 's/^/    /' >&2
  fi
else
  say "systemd-analyze not found: the unit was not verified"
fi

# ---------------------------------------------------------------- enable

sc=(systemctl "${systemctl_scope[@]}")
started=false
if ! $enable; then
  say "--no-enable: the unit is installed but not enabled"
elif manager_reads_unit_dir "$system" "$unit_dir"; then
  "${sc[@]}" daemon-reload
  "${sc[@]}" enable devos.service
  if "${sc[@]}" is-active --quiet devos.service; then
    say "restarting devos.service"
    "${sc[@]}" restart devos.service || die "devos.service did not restart; see: $journal_cmd -e"
  else
    say "starting devos.service"
    "${sc[@]}" start devos.service || die "devos.service did not start; see: $journal_cmd -e"
  fi
  started=true
else
  if $system; then
    warn "systemd is not running here: the unit was not enabled"
  else
    warn "no systemd user manager that reads $unit_dir is reachable from this shell: the unit was not enabled"
  fi
fi

addr=$(toml_strings server addr "$config_file" | head -n 1)
addr=${addr:-127.0.0.1:8080}
sctl="systemctl${systemctl_scope[*]:+ ${systemctl_scope[*]}}"
say "done. DevOS $("$bin" --version | awk '{print $2}') is installed:"
printf '    binary   %s\n    site     %s\n    config   %s (%s)\n    data     %s\n    unit     %s\n' \
  "$bin" "$site" "$config_file" "$config_note" "$data_dir" "$unit"
printf '    writable under the unit: %s' "$data_dir"
printf ', %s' "${roots[@]}"
printf '\n'
if $started; then
  printf '\n  DevOS runs at http://%s (check it with: %s status devos)\n' "$addr" "$sctl"
else
  printf '\n  To start it with systemd:\n    %s daemon-reload && %s enable --now devos\n' "$sctl" "$sctl"
  printf '  or by hand, in the foreground:\n    DEVOS_CONFIG=%q LEPTOS_SITE_ROOT=%q DEVOS_DATA_DIR=%q %q serve\n' \
    "$config_file" "$site" "$data_dir" "$bin"
fi
printf '  Logs go to the journal (DevOS writes them to stderr):\n    %s -f\n' "$journal_cmd"
printf "  On the first start the one-time link that creates your account is in that log:\n    %s | grep 'setup?token'\n" "$journal_cmd"
if ! $system; then
  case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) printf '  %s is not on your PATH; add it to run devos from a terminal.\n' "$prefix/bin" ;;
  esac
  printf '  A user service runs while you are logged in; to keep it running without a session:\n    loginctl enable-linger %s\n' "$(id -un)"
fi
