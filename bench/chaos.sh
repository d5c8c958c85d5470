#!/usr/bin/env bash
# Gauntlet's crash test: the real jar runs executions of several users against a fake target in
# its own process that counts requests per prompt, and is SIGKILLed at random moments (20 times
# by default), restarted over the same data each time. Prints, per kill, what was committed,
# what was uncommitted and what was sent again; then checks that every acknowledged result is
# there exactly once, every prompt has its result, and only uncommitted prompts were re-sent.
# Exits 1 on any violation. Flags go to dev.gauntlet.bench.Chaos (try --help).
# Builds first when needed (bench/run-class.sh; extra Maven flags in MVN_ARGS).
exec "$(dirname "$0")/run-class.sh" 512m Chaos "$@"
