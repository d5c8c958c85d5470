#!/usr/bin/env bash
# Gauntlet's render benchmark: 100,000 pieces with scores in one user's memory of the real jar,
# then the server-side render time of the dashboard (with and without filters) and of the
# detailed results (first page, a page 40% in), p50/p95/p99. Flags go to RenderBench (try --help).
# Builds first when needed (bench/run-class.sh; extra Maven flags in MVN_ARGS).
exec "$(dirname "$0")/run-class.sh" 256m RenderBench "$@"
