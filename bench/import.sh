#!/usr/bin/env bash
# PyRIT 1.x import and export rates: generates a PyRIT 1.1 memory of 100,000 pieces (or the
# count given), imports it into a fresh memory as 'memory import' does, imports it again (nothing
# added), exports the execution back to PyRIT SQLite; prints rows/s and peak RSS with a 512 MB heap.
# Builds first when needed (bench/run-class.sh).
exec "$(dirname "$0")/run-class.sh" 512m ImportBench "$@"
