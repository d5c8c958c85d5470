#!/usr/bin/env bash
# What a rate-limit check costs per request: this node's own bucket against the bucket every
# cluster node shares (one Hazelcast entry processor), between two real members on loopback in
# one JVM. Prints the wait one request sees, the rate with many in flight and the CPU a check.
# Flags: --checks, --clients, --in-flight. Builds first when needed (bench/run-class.sh).
exec "$(dirname "$0")/run-class.sh" 512m RateLimitCost "$@"
