#!/usr/bin/env bash
# Gauntlet's execution benchmark: a 10,000-prompt prompt_sending execution (one converter, a
# substring and a refusal scorer, every result written to memory) on the real jar against a
# zero-latency fake OpenAI server in its own process, concurrency 16; a 1,500-prompt execution;
# then the fake's raw requests/s under wrk (apt-get install -y wrk) or, without it, a Vert.x
# client. Gauntlet starts as the README starts it (java @jvm.options -jar target/gauntlet.jar,
# no warm-up unless --warmup); run 1 is the first execution after start (cold), later runs are warm.
# Flags go to ExecutionBench (try --help; --warmup and --gauntlet-jvm change how it starts).
# Builds first when needed (bench/run-class.sh; extra Maven flags in MVN_ARGS).
exec "$(dirname "$0")/run-class.sh" 512m ExecutionBench "$@"
