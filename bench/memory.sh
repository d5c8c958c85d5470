#!/usr/bin/env bash
# Gauntlet's memory benchmark: ingest through the event bus, the dashboard's score summary over
# a million scores, and the jar's idle RSS. Flags go to MemoryBench (try --help).
# Builds first when needed (bench/run-class.sh; extra Maven flags in MVN_ARGS).
exec "$(dirname "$0")/run-class.sh" 2g MemoryBench "$@"
