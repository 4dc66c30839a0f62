#!/usr/bin/env bash
# Per-thread CPU of a process over an interval, from /proc (top -H without top's first-sample problem).
#   bench/thread-cpu.sh PID SECONDS   prints "cpu_seconds  share_of_one_core  tid  name", busiest first
set -euo pipefail
pid="$1"; seconds="${2:-5}"
tick="$(getconf CLK_TCK)"
snap() {
  for stat in /proc/"$pid"/task/*/stat; do
    # Fields after "(comm)": 14th and 15th of the line are utime and stime.
    # The read builtin, not $(cat …): a process per thread on each snapshot took enough CPU on this 2-core VM to
    # stall the collector for a few hundred milliseconds, and the snapshots used to fall inside the measured window.
    { read -r line <"$stat"; } 2>/dev/null || continue
    tid="${line%% *}"; comm="${line#*(}"; comm="${comm%)*}"; rest="${line##*) }"
    read -r -a f <<<"$rest"
    echo "$tid $(( f[11] + f[12] )) ${comm// /_}"
  done | sort -n
}
before="$(snap)"; sleep "$seconds"; after="$(snap)"
join -j 1 <(echo "$before") <(echo "$after") | awk -v t="$tick" -v s="$seconds" \
  '{ d = ($4 - $2) / t; if (d > 0) printf "%7.2f  %5.0f%%  %7s  %s\n", d, 100 * d / s, $1, $5 }' | sort -rn
