#!/usr/bin/env bash
# The OpenAPI fuzz suite (OpenApiFuzzIT) at length: every operation of the served document driven
# with generated valid and hostile requests against the real jar. CI runs 25 cases per operation
# (seed 13); this runs 250 per operation (about 22,500 cases) unless told otherwise:
#   bench/fuzz.sh [tries per operation] [seed]
# Fails on any 5xx, any answer the document does not describe, any 2xx without a credential
# outside the public routes, and any SEVERE line or stack trace in the server's log.
set -euo pipefail
cd "$(dirname "$0")/.."
tries="${1:-250}"
seed="${2:-13}"
exec mvn -B ${MVN_ARGS:-} verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=OpenApiFuzzIT \
  -Dfuzz.tries="$tries" -Dfuzz.seed="$seed"
