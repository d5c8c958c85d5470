#!/usr/bin/env bash
# Gauntlet's soak run (not part of CI): the real jar for 30 minutes (--duration to change it),
# 5 users each running one execution after another against a fake target in its own process,
# paced to ~32 prompts/s with a few transient faults (>= 50,000 prompts in 30 minutes). Prints
# every minute: resident memory, open files (/proc/<pid>/fd), memory health (open connections,
# files, orphans, switch events), prompts done; then a summary, and exits 1 if a prompt went
# missing or doubled, memory health was not clean, or the goal was not reached.
# Flags go to dev.gauntlet.bench.Soak (try --help). Builds first when needed
# (bench/run-class.sh).
exec "$(dirname "$0")/run-class.sh" 256m Soak "$@"
