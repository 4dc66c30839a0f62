#!/usr/bin/env bash
# Load test of the collector (vigil serve, SQLite and PostgreSQL) and of vigil report, on 127.0.0.1 only.
#
#   bench/run-collector-load.sh
#
# 1. Builds the solution (Release).
# 2. For each store: starts `vigil serve` on a fresh store, waits for /healthz, posts batches of generated
#    interactions with bench/Vigil.LoadTest for WARMUP+DURATION seconds per concurrency (a fresh server and store
#    for each), samples the server's per-thread CPU from ~2 s before to ~2 s after the measured window, stops the server. Then one
#    open-loop run per rate in OPEN_RECORDS (records/s, OPEN_CONCURRENCY connections; its warm-up at the same rate), whose latency counts from
#    each request's intended send time.
#    PostgreSQL is the throwaway server of scripts/postgres-test-server on VIGIL_PG_PORT (55434 here, so other
#    engineers' test servers on 55432/55433 are left alone); it is stopped and deleted at the end.
# 3. Generates JSON Lines files of REPORT_SIZES interactions and times `vigil report --input` on each with
#    /usr/bin/time -v (wall time -> interactions/s; maximum RSS).
#
# Everything (logs, JSON summaries, summary.md) goes to OUT (default /tmp/vigil-load-<time>); the data
# directories and generated files are deleted on exit. Settings (environment):
#   STORES="sqlite postgres"  CONCURRENCY="4 8" (closed-loop runs; "" for none)  BATCH=500  DURATION=20  WARMUP=15  PORT=5391
#   OPEN_RECORDS="50000" (records/s, one open-loop run each; 0: none)  OPEN_CONCURRENCY=8
#   REPORT_SIZES="1000000 10000000"  REPORT_RUNS=2  CONTENT=short (or none)  SKIP_BUILD=0  SKIP_INGEST=0  SKIP_REPORT=0
#   TRACE_IDS=random (or sequential: sorted ids, the easy case for the primary-key index)
#   VIGIL_PG_PORT=55434  KEEP_PG=0 (1: leave the PostgreSQL server running)
#   SQLITE_PAGE_SIZE=  (e.g. 16384: pre-create vigil.db with that page size, an experiment; default: the store's own)
#   SERVER_ENV=  environment for the collector only, e.g. "DOTNET_gcServer=1 DOTNET_GCDynamicAdaptationMode=0"
set -euo pipefail

cd "$(dirname "$0")/.."
root="$PWD"
STORES="${STORES:-sqlite postgres}"
CONCURRENCY="${CONCURRENCY-4 8}"
BATCH="${BATCH:-500}"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-15}"
OPEN_RECORDS="${OPEN_RECORDS:-50000}"
OPEN_CONCURRENCY="${OPEN_CONCURRENCY:-8}"
PORT="${PORT:-5391}"
REPORT_SIZES="${REPORT_SIZES:-1000000 10000000}"
REPORT_RUNS="${REPORT_RUNS:-2}"
CONTENT="${CONTENT:-short}"
TRACE_IDS="${TRACE_IDS:-random}"
export VIGIL_PG_PORT="${VIGIL_PG_PORT:-55434}"
OUT="${OUT:-/tmp/vigil-load-$(date +%Y%m%dT%H%M%S)}"
mkdir -p "$OUT"
work="$(mktemp -d /tmp/vigil-load-data.XXXXXX)"

cli="$root/src/Vigil.Cli/bin/Release/net10.0/Vigil.Cli.dll"
loadtest="$root/bench/Vigil.LoadTest/bin/Release/net10.0/Vigil.LoadTest.dll"
server_pid=""
pg_started=0

log() { echo "[$(date +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)] $*" | tee -a "$OUT/run.log" >&2; }

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$server_pid" 2>/dev/null && kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}

cleanup() {
  stop_server
  if [ "$pg_started" = 1 ] && [ "${KEEP_PG:-0}" != 1 ]; then
    bash "$root/scripts/postgres-test-server" stop >/dev/null 2>&1 || true
  fi
  rm -rf -- "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD) ($(git status --porcelain -- src | wc -l) changed file(s) under src/ in the working tree)$( [ "${SKIP_BUILD:-0}" = 1 ] && echo "; SKIP_BUILD: binaries as built at $(date -u -r "$cli" +%H:%M:%SZ)")"
  echo "nproc: $(nproc)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p')"
  echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
  echo "dotnet: $(dotnet --version)"
  echo "kernel: $(uname -r)"
  echo "settings: stores=[$STORES] concurrency=[$CONCURRENCY] batch=$BATCH duration=${DURATION}s warmup=${WARMUP}s open_loop=[${OPEN_RECORDS}]rec/s@c${OPEN_CONCURRENCY} sqlite_page_size=${SQLITE_PAGE_SIZE:-default} server_env=[${SERVER_ENV:-}] trace_ids=$TRACE_IDS content=$CONTENT report_sizes=[$REPORT_SIZES] report_runs=$REPORT_RUNS"
} | tee "$OUT/machine.txt" >&2

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building (Release)"
  dotnet build "$root/Vigil.slnx" -c Release -nologo -v q 2>&1 | tail -3 | tee "$OUT/build.log" >&2
fi

start_server() { # store-name, extra args...
  local name="$1"; shift
  local port="$PORT"
  # shellcheck disable=SC2086 # SERVER_ENV is a list of NAME=value words
  env ${SERVER_ENV:-} dotnet "$cli" serve --urls "http://127.0.0.1:$port" "$@" >"$OUT/server-$name.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 240); do
    if curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$OUT/server-$name.log" >&2; log "server for $name exited"; return 1; }
    sleep 0.25
  done
  log "server for $name did not answer /healthz in 60 s"
  return 1
}

# CPU clock ticks used so far by our PostgreSQL server: the postmaster, its children and reaped children.
pg_ticks() {
  local pm
  pm="$(head -1 "/tmp/vigil-postgres-$VIGIL_PG_PORT/data/postmaster.pid" 2>/dev/null)" || { echo 0; return; }
  { echo "$pm"; ps -o pid= --ppid "$pm"; } | while read -r p; do
    line="$(cat "/proc/$p/stat" 2>/dev/null)" || continue
    read -r -a f <<<"${line##*) }"
    echo $(( f[11] + f[12] + f[13] + f[14] ))
  done | awk '{ s += $1 } END { print s + 0 }'
}

run_ingest() { # store, label, concurrency, [rate in requests/s]
  local store="$1" label="$2" c="$3" rate="${4:-0}"
  log "ingest $label: warm-up ${WARMUP}s, measure ${DURATION}s, batch $BATCH, concurrency $c$( [ "$rate" != 0 ] && echo ", open loop at $rate requests/s")"
  # Per-thread CPU of the server (and PostgreSQL's CPU) from ~2 s before the measured window to ~2 s after it (less
  # the load tool's start-up): the snapshots stay outside the window, whose p99 one stall of a few hundred
  # milliseconds would decide.
  local sample=$(( DURATION + 4 ))
  (
    sleep $(( WARMUP > 2 ? WARMUP - 2 : 0 ))
    before="$(pg_ticks)"
    "$root/bench/thread-cpu.sh" "$server_pid" "$sample" >"$OUT/threads-$label.txt" 2>/dev/null || true
    if [ "$store" = postgres ]; then
      echo "postgres processes: $(awk -v d=$(( $(pg_ticks) - before )) -v t="$(getconf CLK_TCK)" -v s="$sample" 'BEGIN { printf "%.2f", d / t / s }') cores" >>"$OUT/threads-$label.txt"
    fi
  ) &
  local sampler=$!
  local rc=0
  dotnet "$loadtest" ingest --url "http://127.0.0.1:$PORT" --batch "$BATCH" --concurrency "$c" --rate "$rate" \
    --duration "$DURATION" --warmup "$WARMUP" --content "$CONTENT" --trace-ids "$TRACE_IDS" --server-pid "$server_pid" \
    --label "$label" --json-out "$OUT/ingest.jsonl" --timeline "$OUT/timeline-$label.txt" 2>&1 | tee "$OUT/ingest-$label.txt" >&2 || rc=$?
  wait "$sampler" || true
  log "server threads (cpu s over ${sample}s, busiest first):"
  { head -5 "$OUT/threads-$label.txt"; grep '^postgres' "$OUT/threads-$label.txt" || true; } | tee -a "$OUT/run.log" >&2
  return $rc
}

if [ "${SKIP_INGEST:-0}" != 1 ]; then
  runs="$(for c in $CONCURRENCY; do echo "c$c:$c:0"; done)"
  for r in $OPEN_RECORDS; do
    if [ "$r" != 0 ]; then
      runs="$runs open$(( r / 1000 ))k:$OPEN_CONCURRENCY:$(awk -v r="$r" -v b="$BATCH" 'BEGIN { print r / b }')"
    fi
  done
  for store in $STORES; do
    for spec in $runs; do
      IFS=: read -r name c rate <<<"$spec"
      label="$store-$name"
      case "$store" in
        sqlite)
          data="$work/$label"
          rm -rf -- "$data"
          if [ -n "${SQLITE_PAGE_SIZE:-}" ]; then
            mkdir -p "$data" && sqlite3 "$data/vigil.db" "PRAGMA page_size = $SQLITE_PAGE_SIZE; PRAGMA journal_mode = WAL;" >/dev/null
          fi
          start_server "$label" --data "$data"
          ;;
        postgres)
          if [ "$pg_started" = 0 ]; then
            log "starting PostgreSQL on 127.0.0.1:$VIGIL_PG_PORT"
            pg_base="$(bash "$root/scripts/postgres-test-server" 2>>"$OUT/postgres.log")"
            pg_started=1
          fi
          # A fresh database per run: the throwaway server on this port is ours alone.
          psql -X -q -h 127.0.0.1 -p "$VIGIL_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
            -c "DROP DATABASE IF EXISTS vigil_load" -c "CREATE DATABASE vigil_load" >&2
          start_server "$label" --data "$work/unused" --store "${pg_base/Database=vigil_test/Database=vigil_load}"
          ;;
        *) log "unknown store '$store'"; exit 2 ;;
      esac
      run_ingest "$store" "$label" "$c" "$rate" || log "ingest $label: some requests failed or were not sent (see $OUT/ingest-$label.txt)"
      case "$store" in
        sqlite) echo "$label: $(sqlite3 "$data/vigil.db" 'SELECT count(*) FROM interactions' 2>/dev/null || echo '?') rows, $(du -sh "$data" | cut -f1) on disk" >>"$OUT/store-size.txt" ;;
        postgres) echo "$label: $(psql -X -tA -h 127.0.0.1 -p "$VIGIL_PG_PORT" -U postgres -d vigil_load \
          -c "SELECT (SELECT count(*) FROM interactions) || ' rows, ' || pg_size_pretty(pg_total_relation_size('interactions'))" 2>/dev/null)" >>"$OUT/store-size.txt" ;;
      esac
      stop_server
      # The next run starts on a quiet machine: this run's store deleted (gigabytes of page cache the kernel would
      # otherwise reclaim during the next run) and its dirty pages written back, not flushed during the next window.
      [ "$store" = sqlite ] && rm -rf -- "$data"
      sync; sleep 3
    done
  done
fi

if [ "${SKIP_REPORT:-0}" != 1 ]; then
  # The report runs as a user runs it: ./vigil (the published build of src/Vigil.Cli), published first if stale.
  "$root/vigil" --help >/dev/null
  for n in $REPORT_SIZES; do
    file="$work/interactions-$n.jsonl"
    log "generate $n interactions"
    dotnet "$loadtest" generate --output "$file" --count "$n" --content "$CONTENT" --trace-ids "$TRACE_IDS" --end 2026-11-01T00:00:00Z 2>&1 | tee -a "$OUT/generate.log" >&2
    for run in $(seq 1 "$REPORT_RUNS"); do
      log "vigil report --input ($n lines), run $run"
      /usr/bin/time -v "$root/vigil" report --input "$file" --format json >"$OUT/report-$n-$run.json" 2>"$OUT/time-$n-$run.txt" || true
      wall="$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$OUT/time-$n-$run.txt" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')"
      rss="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$OUT/time-$n-$run.txt")"
      user="$(sed -n 's/.*User time (seconds): //p' "$OUT/time-$n-$run.txt")"
      sys="$(sed -n 's/.*System time (seconds): //p' "$OUT/time-$n-$run.txt")"
      requests="$(jq '.sla.global.requests' "$OUT/report-$n-$run.json" 2>/dev/null || echo '?')"
      echo "{\"lines\":$n,\"run\":$run,\"wall_s\":$wall,\"user_s\":$user,\"sys_s\":$sys,\"max_rss_kib\":$rss,\"requests_in_report\":$requests,\"load\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" \
        | tee -a "$OUT/report.jsonl" >&2
    done
    rm -f -- "$file"
  done
fi

# The tables for docs/benchmarks-collector.md.
{
  echo "## Ingest (batch $BATCH, ${DURATION}s measured after ${WARMUP}s warm-up, content=$CONTENT, $TRACE_IDS trace ids)"
  echo
  echo "| run | conc. | target rec/s | records/s | req/s | p50 ms | p95 ms | p99 ms | max ms | p99 from send ms | statuses | server CPU (cores) | server CPU µs/record | client CPU (cores) | load avg (start → end) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|"
  if [ -f "$OUT/ingest.jsonl" ]; then
    jq -r '"| \(.label) | \(.concurrency) | \(.target_records_per_second // "closed loop") | \(.records_per_second) | \(.requests_per_second) | \(.p50_ms) | \(.p95_ms) | \(.p99_ms) | \(.max_ms) | \(.send_p99_ms) | \(.statuses | to_entries | map("\(.key): \(.value)") | join(", ")) | \(.server_cpu_cores) | \(if (.records_per_second | type) == "number" and .records_per_second > 0 and (.server_cpu_cores | type) == "number" then (.server_cpu_cores * 1000000 / .records_per_second * 10 | round / 10) else "-" end) | \(.client_cpu_cores) | \(.load_average_start) → \(.load_average_end) |"' "$OUT/ingest.jsonl"
  fi
  echo
  echo "## vigil report"
  echo
  echo "| lines | run | wall s | interactions/s | user+sys CPU s | max RSS MiB | requests in report | load avg |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---|"
  if [ -f "$OUT/report.jsonl" ]; then
    jq -r '"| \(.lines) | \(.run) | \(.wall_s) | \(.lines / .wall_s | round) | \(.user_s + .sys_s | . * 100 | round / 100) | \(.max_rss_kib / 1024 | round) | \(.requests_in_report) | \(.load) |"' "$OUT/report.jsonl"
  fi
} >"$OUT/summary.md"
cat "$OUT/summary.md"
log "done; results in $OUT"
