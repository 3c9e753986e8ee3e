#!/usr/bin/env bash
# The benchmark suite (issues 6 and 13). Reproducible by anyone from a clean clone:
#
#   bash bench/run.sh            # SEED=7 SIZES="1000:14000 10000:140000 50000:700000"
#
# For each corpus size (manifests:other files) it generates a rich monorepo (`gen-corpus`: 1 to 6
# activities a manifest, every field, EN/FR/ISO spellings, CRLF files, decoys in ignored
# directories, 14 other files a manifest), then measures, each figure with the load average
# beside it:
#   - ropa lint --format json on the whole tree, with and without the coverage rules (coverage
#     reads files the floor does not), against the in-process floor (`--example floor`: the same
#     parallel walk as ropa's discovery, reading every manifest), in one hyperfine run;
#   - check-jsonschema over the same manifests (structure only) at 1,000 manifests;
#   - peak memory of the whole-tree run (/usr/bin/time);
#   - the pre-commit case from 10,000 manifests up: the corpus is made a git repository, then
#     `ropa lint --staged <one manifest>` (what the hook runs) and `ropa lint <one manifest>`
#     (with the work-tree check and the untracked manifests), cold (empty id cache) and warm,
#     and the work-tree run again after an untracked manifest was added;
#   - a pull request that changes ten manifests, from 10,000 up: `ropa diff HEAD` and
#     `ropa lint --new-since HEAD` against a whole-tree lint, in one hyperfine run; then the same
#     two with a code file also added (the old side then reads the manifests naming it too);
#   - coverage from 10,000 manifests up (over 100,000 files): a whole-tree lint with and without
#     the coverage rules (all set off, so nothing is scanned), and a walk that reads the same
#     candidate files (`floor --candidates`), in one hyperfine run: what coverage adds, against
#     that floor;
# and one manifest in a small repository. It prints a Markdown table and writes bench/RESULTS.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seed=${SEED:-7}
sizes=${SIZES:-"1000:14000 10000:140000 50000:700000"}
work="$root/target/bench"
mkdir -p "$work"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need hyperfine || ! need rg || [ ! -x /usr/bin/time ]; then
  apt-get -o DPkg::Lock::Timeout=300 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq hyperfine ripgrep time
fi
venv="$work/venv"
if [ ! -x "$venv/bin/check-jsonschema" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check check-jsonschema==0.39.0
fi
cargo build --release --locked --quiet
cargo build --release --locked --quiet --example gen-corpus --example floor
ropa="$root/target/release/ropa"
gen="$root/target/release/examples/gen-corpus"
floor="$root/target/release/examples/floor"
schema="$root/schemas/processing.schema.json"
load() { cut -d' ' -f1 /proc/loadavg; }
median() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"])' "$1" "$2"; }

# the coverage rules all set off: nothing is scanned for coverage (the floor reads no such file)
printf 'rules: {CV001: off, CV002: off, CV003: off, CV004: off, CV005: off}\n' > "$work/cv-off.yaml"
: > "$work/rows.txt"
: > "$work/diff-rows.txt"
: > "$work/cov-rows.txt"
for size in $sizes; do
  m=${size%%:*}
  o=${size##*:}
  corpus="$work/corpus-$m"
  "$gen" --manifests "$m" --other-files "$o" --seed "$seed" --out "$corpus"
  runs=5
  [ "$m" -ge 50000 ] && runs=3
  l1=$(load)
  hyperfine --style basic --warmup 1 --runs "$runs" -i --export-json "$work/h-$m.json" \
    -n ropa "$ropa lint --format json --output /dev/null $corpus" \
    -n ropa-no-coverage "$ropa lint --config $work/cv-off.yaml --format json --output /dev/null $corpus" \
    -n floor "$floor $corpus" >&2
  cjs="null"
  if [ "$m" -le 1000 ]; then
    hyperfine --style basic --runs 3 -i --export-json "$work/c-$m.json" \
      -n check-jsonschema "rg --no-require-git --files -g 'processing.y*ml' -g '*.processing.y*ml' $corpus | xargs $venv/bin/check-jsonschema --schemafile $schema > /dev/null" >&2
    cjs=$(median "$work/c-$m.json" 0)
  fi
  peak=$( { /usr/bin/time -f "%M" "$ropa" lint --format json --output /dev/null "$corpus" >/dev/null || true; } 2>&1 | tail -n 1)
  files=$(rg --no-require-git --files "$corpus" | wc -l)
  pre="null null null null null null null"
  if [ "$m" -ge 10000 ]; then
    (cd "$corpus" && git init -q && git add -A && git -c user.name=bench -c user.email=bench@example.com commit -qm corpus)
    one=$(cd "$corpus" && git ls-files '*processing.yaml' | sed -n 1p)
    cache="$work/cache-$m"
    l2=$(load)
    (cd "$corpus" && ROPA_CACHE_DIR="$cache" hyperfine --style basic -N -i --runs 3 \
      --prepare "rm -rf $cache" --export-json "$work/p-cold-$m.json" \
      -n cold "$ropa lint --staged --format json --output /dev/null $one" \
      -n cold-work-tree "$ropa lint --format json --output /dev/null $one" >&2)
    (cd "$corpus" && ROPA_CACHE_DIR="$cache" hyperfine --style basic -N -i --warmup 2 --runs 20 \
      --export-json "$work/p-warm-$m.json" \
      -n staged "$ropa lint --staged --format json --output /dev/null $one" \
      -n work-tree "$ropa lint --format json --output /dev/null $one" >&2)
    # an untracked manifest added before each run (a new directory, holding a copy of the named
    # file, so that its ids are duplicated): the table of directories is brought up to date
    (cd "$corpus" && ROPA_CACHE_DIR="$cache" hyperfine --style basic -N -i --warmup 1 --runs 10 \
      --prepare "sh -c 'rm -rf untracked-new && mkdir -p untracked-new/a && cp $one untracked-new/a/processing.yaml'" \
      --export-json "$work/p-new-$m.json" \
      -n untracked-added "$ropa lint --format json --output /dev/null $one" >&2
      rm -rf untracked-new)
    pre="$(median "$work/p-cold-$m.json" 0) $(median "$work/p-cold-$m.json" 1) $(median "$work/p-warm-$m.json" 0) $(median "$work/p-warm-$m.json" 1) $(median "$work/p-new-$m.json" 0) $(median "$work/h-$m.json" 0) $l2"
    # a pull request that changes ten manifests: `ropa diff` against the commit, in one hyperfine
    # run with a whole-tree lint and `lint --new-since`
    # (the list is written first: `head` closing the pipe early would fail the script under
    # pipefail)
    (cd "$corpus" && git ls-files '*processing.yaml' > "$work/changed-$m.txt" && head -n 10 "$work/changed-$m.txt" | while read -r f; do
      sed -i '0,/legal_basis: [a-z-]*/s//legal_basis: consent/' "$f"; done)
    l4=$(load)
    (cd "$corpus" && hyperfine --style basic -N -i --warmup 1 --runs 3 --export-json "$work/d-$m.json" \
      -n lint "$ropa lint --format json --output /dev/null" \
      -n diff "$ropa diff HEAD --format json --output /dev/null" \
      -n new-since "$ropa lint --new-since HEAD --format json --output /dev/null" >&2)
    added="$(dirname "$(head -n 1 "$work/changed-$m.txt")")/src/added-by-bench"
    (cd "$corpus" && mkdir -p "$added" && printf 'x = 1\n' > "$added/module.py" &&
      hyperfine --style basic -N -i --warmup 1 --runs 3 --export-json "$work/a-$m.json" \
      -n diff "$ropa diff HEAD --format json --output /dev/null" \
      -n new-since "$ropa lint --new-since HEAD --format json --output /dev/null" >&2)
    (cd "$corpus" && rm -rf "$added" && git checkout -q -- .)
    l5=$(load)
    hyperfine --style basic -N -i --warmup 1 --runs "$runs" --export-json "$work/v-$m.json" \
      -n lint "$ropa lint --format json --output /dev/null $corpus" \
      -n lint-without-coverage "$ropa lint --config $work/cv-off.yaml --format json --output /dev/null $corpus" \
      -n floor "$floor --candidates $corpus" >&2
    echo "$m $(median "$work/v-$m.json" 0) $(median "$work/v-$m.json" 1) $(median "$work/v-$m.json" 2) $l5" >> "$work/cov-rows.txt"
    echo "$m $(median "$work/d-$m.json" 0) $(median "$work/d-$m.json" 1) $(median "$work/d-$m.json" 2) $(median "$work/a-$m.json" 0) $(median "$work/a-$m.json" 1) $l4" >> "$work/diff-rows.txt"
  fi
  echo "$m $files $cjs $peak $l1 $pre" >> "$work/rows.txt"
done

# one manifest in a small repository
small="$work/one"
rm -rf "$small" && mkdir -p "$small"
cp "$root/examples/services/crm/processing.yaml" "$small/"
l3=$(load)
(cd "$small" && hyperfine --style basic -N --warmup 10 --runs 100 -i --export-json "$work/one.json" \
  "$ropa lint processing.yaml --format json" >&2)

python3 - "$work" "$seed" "$l3" <<'PY' | tee "$root/bench/RESULTS.md"
import json, os, platform, subprocess, sys
work, seed, l3 = sys.argv[1:4]
def results(path):
    return {r["command"]: r["median"] for r in json.load(open(path))["results"]}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
print("# Benchmark results\n")
print(f"Machine: {os.cpu_count()} cores, {cpu}; seed {seed}; {subprocess.run(['target/release/ropa', '--version'], capture_output=True, text=True).stdout.strip()}.")
print("Medians over repeated runs (hyperfine), all measured in the same run of `bench/run.sh`; `load` is the 1-minute load average when the measure started.\n")
print("## Whole tree\n")
print("| manifests | files in tree | ropa | floor (in-process walk + read) | ropa / floor | ropa, coverage rules off / floor | check-jsonschema / ropa | peak memory | load |")
print("|---|---|---|---|---|---|---|---|---|")
rows = [l.split() for l in open(f"{work}/rows.txt")]
for m, files, cjs, peak, l1, *pre in rows:
    h = results(f"{work}/h-{m}.json")
    r, nc, f = h["ropa"], h["ropa-no-coverage"], h["floor"]
    cr = "—" if cjs == "null" else f"{float(cjs) / r:.0f}× ({float(cjs):.1f} s)"
    print(f"| {int(m):,} | {int(files):,} | {r:.2f} s | {f:.2f} s | {r / f:.2f}× | {nc / f:.2f}× ({nc:.2f} s) | {cr} | {int(peak) / 1024:.0f} MiB | {l1} |")
print("\n## One named manifest in the tree (pre-commit)\n")
print("| manifests | cold `--staged` (empty cache) | cold, work tree (empty cache) | warm `--staged` (the hook) | warm, work tree | work tree, an untracked manifest just added | whole-tree run | load |")
print("|---|---|---|---|---|---|---|---|")
for m, files, cjs, peak, l1, *pre in rows:
    if pre[0] == "null":
        continue
    cold, cold_tree, staged, tree, added, whole, l2 = pre
    print(f"| {int(m):,} | {float(cold):.2f} s | {float(cold_tree):.2f} s | {float(staged) * 1000:.0f} ms | {float(tree) * 1000:.0f} ms | {float(added) * 1000:.0f} ms | {float(whole):.2f} s | {l2} |")
print("\n## A pull request that changes ten manifests\n")
print("| manifests | whole-tree lint | `ropa diff` | diff / lint | `lint --new-since` | `ropa diff`, a code file also added | `--new-since`, a code file also added | load |")
print("|---|---|---|---|---|---|---|---|")
if os.path.exists(f"{work}/diff-rows.txt"):
    for m, lint, diff, new, adiff, anew, l4 in (l.split() for l in open(f"{work}/diff-rows.txt")):
        print(f"| {int(m):,} | {float(lint):.2f} s | {float(diff):.2f} s | {float(diff) / float(lint):.2f}× | {float(new):.2f} s | {float(adiff):.2f} s | {float(anew):.2f} s | {l4} |")
print("\n## Coverage\n")
print("| manifests | lint | lint, coverage rules off | what coverage adds | walk reading the same candidate files | added / walk | load |")
print("|---|---|---|---|---|---|---|")
if os.path.exists(f"{work}/cov-rows.txt"):
    for m, on, off, fl, l5 in (l.split() for l in open(f"{work}/cov-rows.txt")):
        added = float(on) - float(off)
        print(f"| {int(m):,} | {float(on):.2f} s | {float(off):.2f} s | {added:.2f} s | {float(fl):.2f} s | {added / float(fl):.2f}× | {l5} |")
one = json.load(open(f"{work}/one.json"))["results"][0]
print(f"\nOne manifest in a small repository: median {one['median'] * 1000:.1f} ms (min {one['min'] * 1000:.1f} ms, max {one['max'] * 1000:.1f} ms; load {l3}).")
print()
print(open("bench/profile-notes.md", encoding="utf-8").read(), end="")
PY
