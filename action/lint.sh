#!/usr/bin/env bash
# Runs `ropa lint` for the GitHub Action: annotations on standard output, the SARIF report, the
# job summary, and the step outputs (errors, warnings, sarif-file, exit-code). Inputs come in
# through the environment, never through the script's text.
set -uo pipefail

bin="${ROPA_BIN:?}"
out="${GITHUB_OUTPUT:?}"
sarif="${INPUT_SARIF_FILE:-}"
[ -n "$sarif" ] || sarif="${RUNNER_TEMP:?}/ropa.sarif"

args=(lint --format github --fail-on "${INPUT_FAIL_ON:-error}" --sarif-file "$sarif" --github-output "$out")
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  args+=(--summary-file "$GITHUB_STEP_SUMMARY")
fi
if [ -n "${INPUT_CONFIG:-}" ]; then
  args+=(--config "$INPUT_CONFIG")
fi
if [ "${INPUT_ONLY_CHANGED:-false}" = "true" ] && [ "${EVENT_NAME:-}" = "pull_request" ] && [ -n "${BASE_REF:-}" ]; then
  # the base branch, for `git diff`; a shallow fetch is enough to compare trees
  git fetch --no-tags --quiet --depth=1 origin "+refs/heads/$BASE_REF:refs/remotes/origin/$BASE_REF" || true
  args+=(--changed-since "origin/$BASE_REF")
fi
read -r -a extra <<< "${INPUT_ARGS:-}"
paths=()
while read -r -a line; do
  paths+=("${line[@]}")
done <<< "${INPUT_PATHS:-.}"

status=0
"$bin" "${args[@]}" "${extra[@]}" -- "${paths[@]}" || status=$?
{
  echo "sarif-file=$sarif"
  echo "exit-code=$status"
} >> "$out"
exit "$status"
