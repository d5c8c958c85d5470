#!/usr/bin/env bash
# Cold start with and without the ahead-of-time cache: each round starts a fresh Gauntlet and
# runs its first executions (1,500 prompts, then 10,000, zero-latency fake at concurrency 16 —
# bench/execution.sh --repeat 1), once started as bin/gauntlet starts it (jvm.options plus
# -XX:AOTCache=target/gauntlet.aot) and once with jvm.options alone; rounds alternate so a busy
# neighbour hurts both alike. Then, optionally, the same against a fake with 200 ms latency at
# concurrency 64 (ideal 320 prompts/s).
#   bench/coldstart.sh [ROUNDS] [--latency]     (ROUNDS default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
latency=${2:-}
bin/gauntlet train
aot=$PWD/target/gauntlet.aot
warm_target=(--warm-target 3)
[[ ${COLD_TARGET:-} == 1 ]] && warm_target=()
out=$(mktemp -d)
summary() {
  grep -h -E "fake target warmed|gauntlet start:|prompts run 1 \(cold\)|failed" "$1" | awk '!seen[$0]++' | sed 's/^/    /' || true
}
for r in $(seq 1 "$rounds"); do
  for mode in aot plain; do
    # absolute: the bench starts Gauntlet in a temporary directory
    flags="@$PWD/jvm.options"
    [[ $mode == aot ]] && flags="@$PWD/jvm.options -XX:AOTCache=$aot"
    bench/execution.sh --repeat 1 --load-seconds 1 "${warm_target[@]}" --gauntlet-jvm "$flags" >"$out/$mode-$r.txt" 2>&1 || true
    echo "round $r, $mode ($flags):"
    summary "$out/$mode-$r.txt"
    if [[ $latency == --latency ]]; then
      bench/execution.sh --repeat 1 --load-seconds 1 "${warm_target[@]}" --latency 200 --concurrency 64 --small 2000 --prompts 4000 \
        --gauntlet-jvm "$flags" >"$out/$mode-latency-$r.txt" 2>&1 || true
      echo "round $r, $mode, 200 ms latency, concurrency 64 (ideal 320 prompts/s):"
      summary "$out/$mode-latency-$r.txt"
    fi
  done
done
echo "(full outputs in $out)"
