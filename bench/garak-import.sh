#!/usr/bin/env bash
# garak import benchmark: writes a 1,000,000-attempt garak report.jsonl (garak's layout: per probe,
# the attempts with status 1, then with status 2 and their detector results, then eval rows;
# about 1.4 GB in a temporary directory, deleted afterwards unless --keep) and imports it into a
# fresh memory file as 'memory import' does; prints attempts/s, rows/s, peak heap and peak RSS.
# Flags go to GarakImportBench (try --help). Builds first when needed (bench/run-class.sh).
exec "$(dirname "$0")/run-class.sh" 512m GarakImportBench "$@"
