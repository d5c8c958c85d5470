#!/usr/bin/env bash
# Gauntlet's results-workbench benchmark: 100,000 results (executions of 10,000 prompts, the same
# prompts in each) in one user's memory of the real jar, then the server-side time of the results
# matrix with a search word and two filters, of two executions compared, and of the heat map,
# p50/p95/p99. Flags go to MatrixBench (try --help). Builds first when needed (bench/run-class.sh).
exec "$(dirname "$0")/run-class.sh" 512m MatrixBench "$@"
