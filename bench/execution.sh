#!/usr/bin/env bash
# Gauntlet's execution benchmark: a 10,000-prompt prompt_sending execution (one converter, a
# substring and a refusal scorer, every result written to memory) on the real jar against a
# zero-latency fake OpenAI server in its own process, concurrency 16; a 1,500-prompt execution;
# then the fake's raw requests/s under wrk (apt-get install -y wrk) or, without it, a Vert.x
# client. Gauntlet starts as the README starts it (java @jvm.options -jar target/gauntlet.jar,
# its warm-up included); run 1 is the first execution after start (cold), later runs are warm.
# Flags go to ExecutionBench (try --help; --no-warmup and --gauntlet-jvm change how it starts).
# Builds first when the jar or the benchmark classes are missing or older than the sources;
# extra Maven flags (e.g. -o) can be given in MVN_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=target/gauntlet.jar
bench=target/test-classes/dev/gauntlet/bench/ExecutionBench.class
if [[ ! -f $jar || ! -f $bench ]] \
    || [[ -n $(find src pom.xml conf.json -newer "$jar" -print -quit 2>/dev/null) ]] \
    || [[ -n $(find src/test -newer "$bench" -print -quit 2>/dev/null) ]]; then
  echo "building $jar and test classes ..." >&2
  # shellcheck disable=SC2086
  mvn -B -q ${MVN_ARGS:-} -DskipTests package
fi

exec java -Xmx512m -cp "$jar:target/test-classes" dev.gauntlet.bench.ExecutionBench "$@"
