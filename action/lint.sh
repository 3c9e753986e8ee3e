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
  # the base to compare with: the pull request's base commit when the checkout has it
  # (fetch-depth: 0), else the base branch fetched now (which needs the checkout's credentials)
  base=""
  if [ -n "${BASE_SHA:-}" ] && git cat-file -e "${BASE_SHA}^{commit}" 2>/dev/null; then
    base="$BASE_SHA"
  elif git fetch --no-tags --quiet --depth=1 origin "+refs/heads/$BASE_REF:refs/remotes/origin/$BASE_REF"; then
    base="origin/$BASE_REF"
  else
    echo "::error title=ropa::only-changed needs the pull request's base: check out with fetch-depth: 0, or keep the checkout's credentials (persist-credentials) so that the base branch can be fetched"
    echo "exit-code=2" >> "$out"
    exit 2
  fi
  args+=(--changed-since "$base")
fi
read -r -a extra <<< "${INPUT_ARGS:-}"
paths=()
while read -r -a line; do
  paths+=("${line[@]}")
done <<< "${INPUT_PATHS:-.}"

# a report left by an earlier run must not pass for this run's
rm -f -- "$sarif"
status=0
"$bin" "${args[@]}" "${extra[@]}" -- "${paths[@]}" || status=$?
{
  # the output names the SARIF report only when this run wrote it
  if [ -s "$sarif" ]; then
    echo "sarif-file=$sarif"
  fi
  echo "exit-code=$status"
} >> "$out"
exit "$status"
