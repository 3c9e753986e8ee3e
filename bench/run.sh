#!/usr/bin/env bash
# The benchmark suite (issue 6). Reproducible by anyone from a clean clone:
#
#   bash bench/run.sh            # SEED=7 SIZES="1000:100000 10000:200000 50000:500000"
#
# For each corpus size (manifests:other files) it generates a monorepo with
# `cargo run --release --example gen-corpus`, then measures with hyperfine, in the same run:
#   - ropa lint --format json on the whole tree;
#   - the floor: walking the tree with ripgrep (same ignore rules) and reading the manifests;
#   - check-jsonschema with schemas/processing.schema.json over the same manifests (structure
#     only; at the sizes where it finishes in reasonable time);
#   - one manifest, as a pre-commit hook runs it (process start, catalog, one file);
# and peak memory with /usr/bin/time. It prints a Markdown table and writes bench/RESULTS.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seed=${SEED:-7}
sizes=${SIZES:-"1000:100000 10000:200000 50000:500000"}
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
cargo build --release --locked --quiet --example gen-corpus
ropa="$root/target/release/ropa"
gen="$root/target/release/examples/gen-corpus"
schema="$root/schemas/processing.schema.json"
floor_cmd() { echo "rg --no-require-git --files -g 'processing.y*ml' -g '*.processing.y*ml' $1 | xargs cat > /dev/null"; }

rows=()
for size in $sizes; do
  m=${size%%:*}
  o=${size##*:}
  corpus="$work/corpus-$m"
  "$gen" --manifests "$m" --other-files "$o" --seed "$seed" --out "$corpus"
  runs=5
  [ "$m" -ge 50000 ] && runs=3
  hyperfine --style basic --warmup 1 --runs "$runs" -i --export-json "$work/h-$m.json" \
    -n ropa "$ropa lint --format json --output /dev/null $corpus" \
    -n floor "$(floor_cmd "$corpus")" >&2
  cjs="null"
  if [ "$m" -le 10000 ]; then
    cruns=3
    [ "$m" -ge 10000 ] && cruns=1
    hyperfine --style basic --runs "$cruns" -i --export-json "$work/c-$m.json" \
      -n check-jsonschema "rg --no-require-git --files -g 'processing.y*ml' -g '*.processing.y*ml' $corpus | xargs $venv/bin/check-jsonschema --schemafile $schema > /dev/null" >&2
    cjs=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$work/c-$m.json")
  fi
  peak=$( { /usr/bin/time -f "%M" "$ropa" lint --format json --output /dev/null "$corpus" >/dev/null || true; } 2>&1 | tail -n 1)
  files=$(rg --no-require-git --files "$corpus" | wc -l)
  rows+=("$m $files $cjs $peak")
done

# one manifest, as pre-commit runs it
one="$work/one"
rm -rf "$one" && mkdir -p "$one"
cp "$root/examples/services/crm/processing.yaml" "$one/"
(cd "$one" && hyperfine --style basic -N --warmup 10 --runs 100 -i --export-json "$work/one.json" \
  "$ropa lint processing.yaml --format json" >&2)

python3 - "$work" "$seed" "${rows[@]}" <<'PY' | tee "$root/bench/RESULTS.md"
import json, os, platform, subprocess, sys
work, seed, rows = sys.argv[1], sys.argv[2], sys.argv[3:]
def median(path, name):
    for r in json.load(open(path))["results"]:
        if r["command"] == name:
            return r["median"]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
print("# Benchmark results\n")
print(f"Machine: {os.cpu_count()} cores, {cpu}; seed {seed}; ropa {subprocess.run(['target/release/ropa', '--version'], capture_output=True, text=True).stdout.strip()}.")
print("Medians over repeated runs (hyperfine), all measured in the same run of `bench/run.sh`.\n")
print("| manifests | files in tree | ropa | floor (walk + read) | ropa / floor | check-jsonschema | check-jsonschema / ropa | ropa per manifest | peak memory |")
print("|---|---|---|---|---|---|---|---|---|")
for row in rows:
    m, files, cjs, peak = row.split()
    m = int(m)
    r = median(f"{work}/h-{m}.json", "ropa")
    f = median(f"{work}/h-{m}.json", "floor")
    c = "not run" if cjs == "null" else f"{float(cjs):.1f} s"
    cr = "—" if cjs == "null" else f"{float(cjs) / r:.0f}×"
    print(f"| {m:,} | {int(files):,} | {r:.2f} s | {f:.2f} s | {r / f:.2f}× | {c} | {cr} | {r / m * 1e6:.0f} µs | {int(peak) / 1024:.0f} MiB |")
one = json.load(open(f"{work}/one.json"))["results"][0]
print(f"\nOne manifest (pre-commit): median {one['median'] * 1000:.1f} ms (min {one['min'] * 1000:.1f} ms, max {one['max'] * 1000:.1f} ms).")
print(open("bench/profile-notes.md", encoding="utf-8").read(), end="")
PY
