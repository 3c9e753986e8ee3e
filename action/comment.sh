#!/usr/bin/env bash
# The privacy diff of a pull request as one sticky comment (action input `comment: true`).
# `ropa diff` writes the Markdown; this script finds the comment that carries ropa's hidden
# marker and updates it, or adds one. A pull request with no privacy change gets no comment, or
# has its old one updated to say so. When the token cannot write (pull requests from forks get a
# read-only token), the diff goes to the job summary with the reason. Inputs come in through the
# environment, never through the script's text; the API's answers are read as JSON data.
set -uo pipefail

bin="${ROPA_BIN:?}"
base="${BASE_SHA:?}"
api="${GITHUB_API_URL:-https://api.github.com}"
repo="${GITHUB_REPOSITORY:?}"
number="${PR_NUMBER:?}"
token="${GITHUB_TOKEN:?}"
temp="${RUNNER_TEMP:?}"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"

# of the lint arguments, the diff takes the language
read -r -a args <<< "${INPUT_ARGS:-}"
extra=()
for i in "${!args[@]}"; do
  case "${args[$i]}" in
    --lang=*) extra=("${args[$i]}") ;;
    --lang) extra=(--lang "${args[$((i + 1))]:-en}") ;;
  esac
done
config=()
if [ -n "${INPUT_CONFIG:-}" ]; then
  config=(--config "$INPUT_CONFIG")
fi
# the pull request's base commit: in the checkout with fetch-depth: 0, else fetched now (which
# needs the checkout's credentials)
if ! git cat-file -e "${base}^{commit}" 2>/dev/null \
  && ! git fetch --no-tags --quiet --depth=1 origin "$base"; then
  echo "::error title=ropa::the privacy diff needs the pull request's base commit: check out with fetch-depth: 0, or keep the checkout's credentials (persist-credentials) so that it can be fetched"
  exit 2
fi
markdown="$temp/ropa-diff.md"
report="$temp/ropa-diff.json"
status=0
"$bin" diff "${config[@]}" "${extra[@]}" --format markdown --output "$markdown" -- "$base" || status=$?
"$bin" diff "${config[@]}" "${extra[@]}" --format json --output "$report" -- "$base" || status=$?
if [ "$status" -ne 0 ]; then
  echo "::error title=ropa::ropa diff could not compare the pull request with its base (exit $status)"
  exit 2
fi

# the calls to GitHub's REST API: `call METHOD PATH [BODY_FILE]` prints the HTTP status and
# leaves the answer in $temp/ropa-api.json
call() {
  local data=()
  if [ -n "${3:-}" ]; then
    data=(--data-binary "@$3")
  fi
  curl -sS -o "$temp/ropa-api.json" -w '%{http_code}' -X "$1" \
    -H "Authorization: Bearer $token" \
    -H "Accept: application/vnd.github+json" \
    -H "X-GitHub-Api-Version: 2022-11-28" \
    "${data[@]}" "$api$2"
}

changed=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print(int(s["review"]+s["info"]+s["introduced"]+s["fixed"] > 0))' "$report") || exit 2

# the comment ropa wrote before, if any: the first one that carries the marker
existing=""
page=1
while [ "$page" -le 10 ] && [ -z "$existing" ]; do
  code=$(call GET "/repos/$repo/issues/$number/comments?per_page=100&page=$page") || code=000
  if [ "$code" != 200 ]; then
    break
  fi
  read -r existing count < <(python3 -c '
import json, sys
comments = json.load(open(sys.argv[1]))
found = next((str(c["id"]) for c in comments if "<!-- ropa-diff -->" in (c.get("body") or "")), "")
print(found or "-", len(comments))' "$temp/ropa-api.json") || break
  [ "$existing" = "-" ] && existing=""
  [ "$count" -lt 100 ] && break
  page=$((page + 1))
done

if [ "$changed" = 0 ] && [ -z "$existing" ]; then
  echo "ropa: no privacy change; no comment"
  exit 0
fi
body="$temp/ropa-comment.json"
python3 -c 'import json,sys; print(json.dumps({"body": open(sys.argv[1], encoding="utf-8").read()}))' "$markdown" > "$body" || exit 2
if [ -n "$existing" ]; then
  code=$(call PATCH "/repos/$repo/issues/comments/$existing" "$body") || code=000
  want=200
else
  code=$(call POST "/repos/$repo/issues/$number/comments" "$body") || code=000
  want=201
fi
if [ "$code" != "$want" ]; then
  # forks get a read-only token: the diff goes to the job summary instead
  {
    cat "$markdown"
    echo
    echo "_ropa could not comment on the pull request (HTTP $code): the token cannot write to it, as for pull requests from forks. The diff is here instead._"
  } >> "$summary"
  echo "::notice title=ropa::could not comment on the pull request (HTTP $code); the privacy diff is in the job summary"
  exit 0
fi
if [ -n "$existing" ]; then
  echo "ropa: privacy diff comment updated"
else
  echo "ropa: privacy diff comment added"
fi
