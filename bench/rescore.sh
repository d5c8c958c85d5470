#!/usr/bin/env bash
# Gauntlet's re-scoring benchmark: one user's memory with 100,000 answered prompts (an execution
# against a fake OpenAI-compatible target), re-scored with a substring, a regex and a refusal
# scorer; prints answers/s, time, scores written and the target's requests during the job (0).
# Flags go to RescoreBench (try --help). Builds first when needed (bench/run-class.sh).
exec "$(dirname "$0")/run-class.sh" 2g RescoreBench "$@"
