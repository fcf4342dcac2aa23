#!/usr/bin/env bash
# Measures a running DevOS over loopback with wrk: /health as the floor,
# status polls and submissions of a safe built-in request at 100
# connections, the end-to-end latency of a trivial job against `bash -c`,
# and RSS idle and after the load. Prints a Markdown table.
# Usage: scripts/bench-server.sh [path/to/devos]   (default target/debug/devos)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/devos}
command -v wrk >/dev/null || { echo "bench-server.sh needs wrk (apt install wrk)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"' EXIT
export HOME="$tmp/home" DEVOS_DATA_DIR="$tmp/data" DEVOS_LOG=warn
mkdir -p "$HOME" "$tmp/work"
echo hello >"$tmp/work/notes.txt"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export DEVOS_ADDR="127.0.0.1:$port"
echo 'bench password' | "$bin" user add bench --password-stdin >/dev/null
token=$("$bin" token create --user bench 2>/dev/null)
started=$(date +%s%N)
"$bin" serve 2>"$tmp/server.log" &
server=$!
until curl -fs "http://$DEVOS_ADDR/health" >/dev/null; do
  kill -0 "$server" 2>/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
  sleep 0.01
done
cold_ms=$(( ($(date +%s%N) - started) / 1000000 ))
curl -fs "http://$DEVOS_ADDR/login" >/dev/null
first_page_ms=$(( ($(date +%s%N) - started) / 1000000 ))
rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }
idle_rss=$(rss)

body="{\"command\":\"list the files here\",\"context\":{\"cwd\":\"$tmp/work\"}}"
job=$(curl -fs -H "Authorization: Bearer $token" -H 'content-type: application/json' \
  -d "$body" "http://$DEVOS_ADDR/api/v1/command" | python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')

cat >"$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
LUA
# wrk's latency distribution: "50%  1.23ms" ... "99%  4.56ms"; Requests/sec.
run_wrk() { # name, duration, extra args...
  local name=$1 duration=$2; shift 2
  local out
  out=$(wrk -t2 -c100 -d"$duration" --latency "$@")
  local p50 p99 rps
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  printf '| %s | %s | %s | %s |\n' "$name" "$p50" "$p99" "$rps"
}
echo "| request (100 connections, wrk -t2) | p50 | p99 | requests/s |"
echo "|---|---|---|---|"
run_wrk 'GET /health (floor)' 10s "http://$DEVOS_ADDR/health"
run_wrk "GET /api/v1/command/$job/status" 10s -H "Authorization: Bearer $token" \
  "http://$DEVOS_ADDR/api/v1/command/$job/status"
run_wrk 'POST /api/v1/command (safe, built-in; runs the job)' 10s -s "$tmp/post.lua" \
  "http://$DEVOS_ADDR/api/v1/command"
loaded_rss=$(rss)

# End to end: submit a trivial safe job and wait for it to finish, 30 times,
# against the same command run with bash -c.
python3 - "$DEVOS_ADDR" "$token" "$tmp/work" <<'PY'
import json, subprocess, sys, time, urllib.request
addr, token, work = sys.argv[1:]
def call(method, path, body=None):
    req = urllib.request.Request(f"http://{addr}{path}", method=method,
        data=json.dumps(body).encode() if body else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)
def job():
    """Seconds until the submit was answered, and until the job was done."""
    t = time.perf_counter()
    j = call("POST", "/api/v1/command", {"command": "list the files here", "context": {"cwd": work}})
    answered = time.perf_counter() - t
    while call("GET", f"/api/v1/command/{j['job_id']}/status")["status"] not in ("completed", "failed"):
        time.sleep(0.001)
    return answered, time.perf_counter() - t
def bash():
    t = time.perf_counter()
    subprocess.run(["bash", "-c", f"ls -la {work}"], check=True, capture_output=True)
    return time.perf_counter() - t
job(); bash()
runs = [job() for _ in range(30)]
answers = sorted(a for a, _ in runs); jobs = sorted(d for _, d in runs)
shells = sorted(bash() for _ in range(30))
print(f"\ntrivial safe job end to end: p50 {jobs[15]*1000:.1f} ms (submit answered at p50 {answers[15]*1000:.1f} ms); "
      f"bash -c of the same command: p50 {shells[15]*1000:.1f} ms ({jobs[15]/shells[15]:.1f}x)")
PY
echo "cold start to /health: ${cold_ms} ms; to the first served page (/login): ${first_page_ms} ms"
echo "RSS idle: $((idle_rss / 1024)) MiB; after the load: $(( $(rss) / 1024 )) MiB (after wrk: $((loaded_rss / 1024)) MiB)"
