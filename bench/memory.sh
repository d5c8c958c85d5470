#!/usr/bin/env bash
# Gauntlet's memory benchmark: ingest through the event bus, the dashboard's score summary over
# a million scores, and the jar's idle RSS. Flags go to MemoryBench (try --help).
# Builds first when the jar or the benchmark classes are missing or older than the sources;
# extra Maven flags (e.g. -o) can be given in MVN_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=target/gauntlet.jar
bench=target/test-classes/dev/gauntlet/bench/MemoryBench.class
if [[ ! -f $jar || ! -f $bench ]] \
    || [[ -n $(find src pom.xml conf.json -newer "$jar" -print -quit 2>/dev/null) ]] \
    || [[ -n $(find src/test -newer "$bench" -print -quit 2>/dev/null) ]]; then
  echo "building $jar and test classes ..." >&2
  # shellcheck disable=SC2086
  mvn -B -q ${MVN_ARGS:-} -DskipTests package
fi

exec java -Xmx2g -cp "$jar:target/test-classes" dev.gauntlet.bench.MemoryBench "$@"
