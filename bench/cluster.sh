#!/usr/bin/env bash
# Throughput of 1, 2 and 3 cluster nodes on one machine: for each size a fresh cluster of real
# jars on loopback (one shared data directory, a throwaway PostgreSQL app database) runs the same
# zero-latency load (--users executions of --prompts each, launched through different nodes,
# after a warm-up round), and the bench prints prompts/s, each node's CPU seconds, its own
# (the fake target's) and the load average. Flags: --sizes 1,2,3, --users, --prompts, --warmup,
# --concurrency, --dir. Needs Debian's postgresql. Builds first when needed (bench/run-class.sh).
exec "$(dirname "$0")/run-class.sh" 512m ClusterBench "$@"
