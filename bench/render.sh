#!/usr/bin/env bash
# Gauntlet's render benchmark: 100,000 pieces with scores in one user's memory of the real jar,
# then the server-side render time of the dashboard (with and without filters) and of the
# detailed results (first page, a page 40% in), p50/p95/p99. Flags go to RenderBench (try --help).
# Builds first when the jar or the benchmark classes are missing or older than the sources;
# extra Maven flags (e.g. -o) can be given in MVN_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=target/gauntlet.jar
bench=target/test-classes/dev/gauntlet/bench/RenderBench.class
if [[ ! -f $jar || ! -f $bench ]] \
    || [[ -n $(find src pom.xml conf.json -newer "$jar" -print -quit 2>/dev/null) ]] \
    || [[ -n $(find src/test -newer "$bench" -print -quit 2>/dev/null) ]]; then
  echo "building $jar and test classes ..." >&2
  # shellcheck disable=SC2086
  mvn -B -q ${MVN_ARGS:-} -DskipTests package
fi

exec java -Xmx256m -cp "$jar:target/test-classes" dev.gauntlet.bench.RenderBench "$@"
