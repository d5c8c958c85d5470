#!/usr/bin/env bash
# Shared by the bench/*.sh scripts: bench/run-class.sh HEAP CLASS [ARGS...] builds the jar and
# the test classes when either is missing or older than the sources (extra Maven flags, e.g. -o,
# in MVN_ARGS), then runs dev.gauntlet.bench.CLASS with the jar and the test classes on the
# class path and a HEAP heap, its temporary files in target/bench-tmp/ until it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
# the Java 25 the launcher finds, for the build and the bench alike
JAVA_HOME=$(bin/gauntlet java-home)
export JAVA_HOME PATH=$JAVA_HOME/bin:$PATH

heap=$1 class=$2
shift 2
jar=target/gauntlet.jar
compiled=target/test-classes/dev/gauntlet/bench/$class.class
if [[ ! -f $jar || ! -f $compiled ]] \
    || [[ -n $(find src pom.xml conf.json -newer "$jar" -print -quit 2>/dev/null) ]] \
    || [[ -n $(find src/test -newer "$compiled" -print -quit 2>/dev/null) ]]; then
  echo "building $jar and test classes ..." >&2
  # shellcheck disable=SC2086
  mvn -B -q ${MVN_ARGS:-} -DskipTests package
fi

# the bench's temporary files (memories, generated imports, server data) in a folder of its own,
# deleted when it ends (BENCH_KEEP=1 keeps it): some runs write gigabytes
mkdir -p target/bench-tmp
tmp=$(mktemp -d "$PWD/target/bench-tmp/$class.XXXXXX")
if [[ -z ${BENCH_KEEP:-} ]]; then
  trap 'rm -rf "$tmp"' EXIT
else
  echo "keeping the bench's temporary files in $tmp" >&2
fi
java "-Xmx$heap" "-Djava.io.tmpdir=$tmp" -cp "$jar:target/test-classes" "dev.gauntlet.bench.$class" "$@"
