#!/usr/bin/env bash
# Removes what scripts/install.sh installed (docs/INSTALL.md).
#
# Usage: scripts/uninstall.sh [--prefix DIR] [--system] [--purge]
#
#   (default)     stop and disable the systemd user unit, then remove the unit,
#                 the binary (PREFIX/bin/devos) and the site (PREFIX/share/devos).
#                 Your config (~/.config/devos) and data (database, trash,
#                 snapshots) are kept, so installing again picks up where you were.
#   --prefix DIR  where DevOS was installed; by default read from the installed
#                 unit, else ~/.local (/usr/local with --system).
#   --system      remove the system-wide install (needs root): the unit in
#                 /etc/systemd/system; --purge also removes /etc/devos,
#                 /var/lib/devos and the `devos` service user.
#   --purge       also delete the config, the data dir and your drop-in settings
#                 (devos.service.d). This cannot be undone.
#   -h, --help    show this help.
#
# Running it when nothing is installed succeeds and says so.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
log_tag='[uninstall]'
usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; }
# shellcheck source=packaging/lib.sh
. "$repo/packaging/lib.sh"

prefix=""
system=false
purge=false
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
    --system) system=true && shift ;;
    --purge) purge=true && shift ;;
    -h | --help) usage && exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

if $system; then
  [[ $(id -u) -eq 0 ]] || die "--system removes the system-wide install and needs root: sudo $0 --system …"
  default_prefix=/usr/local
  config_file=/etc/devos/devos.toml
  unit_dir=/etc/systemd/system
  wants_dir=$unit_dir/multi-user.target.wants
  default_data_dir=/var/lib/devos
  sc=(systemctl)
else
  [[ -n ${HOME:-} ]] || die "HOME is not set"
  default_prefix=$HOME/.local
  config_home=${XDG_CONFIG_HOME:-$HOME/.config}
  config_file=$config_home/devos/devos.toml
  unit_dir=$config_home/systemd/user
  wants_dir=$unit_dir/default.target.wants
  default_data_dir=${XDG_DATA_HOME:-$HOME/.local/share}/devos
  sc=(systemctl --user)
fi
unit=$unit_dir/devos.service

# What the installed unit says wins over the defaults: it names the prefix,
# config and data dir that install.sh chose.
unit_bin=$(unit_exec "$unit")
if [[ -z $prefix ]]; then
  if [[ $unit_bin == */bin/devos ]]; then
    prefix=${unit_bin%/bin/devos}
  else
    prefix=$default_prefix
  fi
fi
prefix=${prefix%/}
bin=$prefix/bin/devos
share=$prefix/share/devos
site=$(unit_env LEPTOS_SITE_ROOT "$unit")
site=${site:-$share/site}
unit_config=$(unit_env DEVOS_CONFIG "$unit")
config_file=${unit_config:-$config_file}
data_dir=$(unit_env DEVOS_DATA_DIR "$unit")
if [[ -z $data_dir ]]; then
  data_dir=$(toml_strings storage data_dir "$config_file" | head -n 1)
  data_dir=${data_dir:-$default_data_dir}
fi

removed=0

# ---------------------------------------------------------------- the unit

if [[ -f $unit ]]; then
  if manager_reads_unit_dir "$system" "$unit_dir"; then
    say "stopping and disabling devos.service"
    "${sc[@]}" stop devos.service || warn "devos.service did not stop cleanly"
    "${sc[@]}" disable devos.service 2>/dev/null || true
  else
    say "no service manager reads $unit_dir here: nothing to stop"
  fi
  rm -f "$unit"
  say "removed the unit $unit"
  removed=$((removed + 1))
fi
# Left by `enable` when the manager could not be asked to disable.
if [[ -L $wants_dir/devos.service ]]; then
  rm -f "$wants_dir/devos.service"
  rmdir "$wants_dir" 2>/dev/null || true
  say "removed the link $wants_dir/devos.service"
  removed=$((removed + 1))
fi
if ((removed > 0)) && manager_reads_unit_dir "$system" "$unit_dir"; then
  "${sc[@]}" daemon-reload
  "${sc[@]}" reset-failed devos.service 2>/dev/null || true
fi

# ---------------------------------------------------------------- files

for file in "$bin" "$share/devos.toml.example"; do
  if [[ -e $file ]]; then
    rm -f "$file"
    say "removed $file"
    removed=$((removed + 1))
  fi
done
if [[ -d $site ]]; then
  rm -rf "$site"
  say "removed the site $site"
  removed=$((removed + 1))
fi
rmdir "$share" 2>/dev/null || true

# ---------------------------------------------------------------- config and data

# Refuses to delete what could not be DevOS's own directory.
safe_to_delete() {
  local dir=$1
  [[ $dir == /* ]] || return 1
  dir=$(cd "$dir" 2>/dev/null && pwd -P) || return 1
  case "$dir" in
    / | /home | /root | /etc | /var | /var/lib | /usr | /usr/local | /tmp) return 1 ;;
  esac
  [[ $dir != "$(cd "${HOME:-/}" && pwd -P)" ]]
}

config_dir=$(dirname "$config_file")
dropins=$unit.d
if $purge; then
  for dir in "$config_dir" "$data_dir" "$dropins"; do
    [[ -e $dir ]] || continue
    safe_to_delete "$dir" || die "refusing to delete $dir: it does not look like DevOS's own directory"
    rm -rf "$dir"
    say "purged $dir"
    removed=$((removed + 1))
  done
  if $system && getent passwd devos >/dev/null; then
    userdel devos
    say "removed the service user devos"
    removed=$((removed + 1))
  fi
else
  if [[ -e $config_file ]]; then
    say "kept the config $config_file (--purge deletes it)"
  fi
  if [[ -e $data_dir ]]; then
    say "kept the data $data_dir (--purge deletes it)"
  fi
  if [[ -e $dropins ]]; then
    say "kept your drop-in settings $dropins (--purge deletes them)"
  fi
fi

if ((removed == 0)); then
  say "nothing to remove: DevOS is not installed under $prefix (nor its unit in $unit_dir)"
else
  say "done"
fi
