#!/usr/bin/env bash
# Fail-over time after SIGKILL in cluster mode: three real jars on loopback over one data
# directory; the node running an execution (and holding its user's memory) is killed, and the
# bench prints how long until the memory answers through another node, until the execution's
# next request reaches the target, and until it finishes. Flags: --nodes, --prompts, --latency,
# --lease (seconds), --dir. Builds first when needed (bench/run-class.sh; MVN_ARGS for Maven flags).
exec "$(dirname "$0")/run-class.sh" 512m Failover "$@"
