#!/usr/bin/env bash
# Gauntlet's crash test: the real jar runs executions of several users against a fake target in
# its own process that counts requests per prompt, and is SIGKILLed at random moments (20 times
# by default), restarted over the same data each time. Prints, per kill, what was committed,
# what was uncommitted and what was sent again; then checks that every acknowledged result is
# there exactly once, every prompt has its result, and only uncommitted prompts were re-sent.
# Exits 1 on any violation. Flags go to dev.gauntlet.bench.Chaos (try --help).
# Builds first when the jar or the test classes are missing or older than the sources; extra
# Maven flags (e.g. -o) can be given in MVN_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=target/gauntlet.jar
driver=target/test-classes/dev/gauntlet/bench/Chaos.class
if [[ ! -f $jar || ! -f $driver ]] \
    || [[ -n $(find src pom.xml conf.json -newer "$jar" -print -quit 2>/dev/null) ]] \
    || [[ -n $(find src/test -newer "$driver" -print -quit 2>/dev/null) ]]; then
  echo "building $jar and test classes ..." >&2
  # shellcheck disable=SC2086
  mvn -B -q ${MVN_ARGS:-} -DskipTests package
fi

exec java -Xmx512m -cp "$jar:target/test-classes" dev.gauntlet.bench.Chaos "$@"
