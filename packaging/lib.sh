# shellcheck shell=bash
# Shell functions shared by scripts/install.sh and scripts/uninstall.sh
# (sourced, not run). Messages are tagged with the caller's $log_tag.
# shellcheck disable=SC2154 # log_tag is set by the caller before sourcing

bold() { if [[ -t 1 ]]; then printf '\033[1m%s\033[0m' "$*"; else printf '%s' "$*"; fi; }
say() { printf '%s %s\n' "$(bold "$log_tag")" "$*"; }
warn() { printf '%s warning: %s\n' "$log_tag" "$*" >&2; }
die() {
  printf '%s error: %s\n' "$log_tag" "$*" >&2
  exit 1
}

# Prints the string values of KEY in [SECTION] of a TOML file, one per line:
# the value itself for a string, each element for an array of strings. Enough
# TOML for devos.toml (basic and literal strings, arrays over several lines,
# comments, `section.key = …` dotted keys); DevOS itself validates the file.
toml_strings() {
  local section=$1 key=$2 file=$3
  [[ -f $file ]] || return 0
  awk -v want_section="$section" -v want_key="$key" '
    function emit_strings(text,    i, c, n, s, state, esc) {
      # state 0: between values; 1: in "basic"; 2: in literal
      n = length(text)
      for (i = 1; i <= n; i++) {
        c = substr(text, i, 1)
        if (state == 1) {
          if (esc) { s = s c; esc = 0 }
          else if (c == "\\") esc = 1
          else if (c == "\"") { if (s != "") print s; s = ""; state = 0 }
          else s = s c
        } else if (state == 2) {
          if (c == "\047") { if (s != "") print s; s = ""; state = 0 } else s = s c
        } else if (c == "\"") state = 1
        else if (c == "\047") state = 2
        else if (c == "#") return 0
        else if (c == "[") depth++
        else if (c == "]") { depth--; if (depth <= 0) return 1 }
      }
      return depth <= 0
    }
    collecting {
      if (emit_strings($0)) exit
      next
    }
    /^[ \t]*\[[^\[]/ {
      line = $0
      sub(/^[ \t]*\[[ \t]*/, "", line); sub(/[ \t]*\].*$/, "", line)
      section = line
      next
    }
    {
      line = $0
      sub(/^[ \t]+/, "", line)
      if (section == want_section && match(line, "^" want_key "[ \t]*=")) {
        value = substr(line, RLENGTH + 1)
      } else if (section == "" && match(line, "^" want_section "\\." want_key "[ \t]*=")) {
        value = substr(line, RLENGTH + 1)
      } else next
      depth = 0
      if (emit_strings(value)) exit
      collecting = 1
    }
  ' "$file"
}

# systemd unit files treat `%` as a specifier and split lists on spaces.
unit_quote() {
  local value=$1
  case "$value" in
    *'"'* | *\\* | *$'\n'*) die "path '$value' contains a quote, backslash or newline; choose another" ;;
  esac
  value=${value//%/%%}
  if [[ $value == *[[:space:]]* ]]; then
    printf '"%s"' "$value"
  else
    printf '%s' "$value"
  fi
}

# Prints the value of `Environment=NAME=…` in a unit file written by
# install.sh (quotes and `%%` undone), or nothing.
unit_env() {
  local name=$1 unit=$2
  [[ -f $unit ]] || return 0
  sed -n -e "s/^Environment=\"$name=\(.*\)\"\$/\1/p" -e "s/^Environment=$name=\(.*\)\$/\1/p" "$unit" \
    | head -n 1 | sed 's/%%/%/g'
}

# Prints the program ExecStart= runs in a unit file written by install.sh.
unit_exec() {
  local unit=$1
  [[ -f $unit ]] || return 0
  sed -n -e 's/^ExecStart="\([^"]*\)".*$/\1/p' -e 's/^ExecStart=\([^" ]*\).*$/\1/p' "$unit" \
    | head -n 1 | sed 's/%%/%/g'
}

# True when a service manager we can talk to reads UNIT_DIR (SYSTEM: true
# for the system manager, false for the user's). A user manager only reads
# its own XDG_CONFIG_HOME, so an install into another HOME (as the CI test
# does) must not reload, enable or stop anything in the real one.
manager_reads_unit_dir() {
  local system=$1 unit_dir=$2
  command -v systemctl >/dev/null || return 1
  if $system; then
    [[ -d /run/systemd/system ]]
    return
  fi
  local paths dir real
  [[ -d $unit_dir ]] || return 1
  paths=$(systemctl --user show --property=UnitPath --value 2>/dev/null) || return 1
  real=$(cd "$unit_dir" && pwd -P)
  for dir in $paths; do
    [[ $dir == "$unit_dir" || $dir == "$real" ]] && return 0
  done
  return 1
}
