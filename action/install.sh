#!/usr/bin/env bash
# Installs ropa for the GitHub Action: the `ropa` on PATH if it is the wanted version; else the
# release asset for this runner, checked against the release's SHA256SUMS; else a build from the
# action's own sources with cargo. Writes `bin=<path>` to $GITHUB_OUTPUT.
set -euo pipefail

action_dir="${GITHUB_ACTION_PATH:?}"
own_version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action_dir/Cargo.toml" | head -n 1)
want="${INPUT_VERSION:-$own_version}"
want="${want#v}"
out="${GITHUB_OUTPUT:?}"

if command -v ropa >/dev/null 2>&1; then
  have=$(ropa --version | awk '{print $2}')
  if [ "$have" = "$want" ]; then
    echo "ropa $have found on PATH"
    echo "bin=$(command -v ropa)" >> "$out"
    exit 0
  fi
fi

case "${RUNNER_OS:-Linux}-${RUNNER_ARCH:-X64}" in
  Linux-X64) target=x86_64-unknown-linux-gnu ;;
  Linux-ARM64) target=aarch64-unknown-linux-gnu ;;
  macOS-X64) target=x86_64-apple-darwin ;;
  macOS-ARM64) target=aarch64-apple-darwin ;;
  Windows-X64) target=x86_64-pc-windows-msvc ;;
  *) target="" ;;
esac

dest="${RUNNER_TEMP:?}/ropa-$want"
mkdir -p "$dest/bin"
base="${ROPA_RELEASE_BASE:-https://github.com/ropa-lint/ropa/releases/download}/v$want"
exe=ropa
[ "${RUNNER_OS:-Linux}" = Windows ] && exe=ropa.exe

if [ -n "$target" ]; then
  asset="ropa-$want-$target.tar.gz"
  if curl -fsSL --retry 2 "$base/$asset" -o "$dest/$asset" \
    && curl -fsSL --retry 2 "$base/SHA256SUMS" -o "$dest/SHA256SUMS"; then
    expected=$(awk -v a="$asset" '$2 == a || $2 == "*" a {print $1}' "$dest/SHA256SUMS")
    if command -v sha256sum >/dev/null 2>&1; then
      actual=$(sha256sum "$dest/$asset" | awk '{print $1}')
    else
      actual=$(shasum -a 256 "$dest/$asset" | awk '{print $1}')
    fi
    if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
      echo "::error title=ropa::checksum mismatch for $asset; refusing to use it"
      exit 2
    fi
    tar -xzf "$dest/$asset" -C "$dest/bin"
    echo "ropa $want installed from the release ($target, SHA-256 verified)"
    echo "bin=$dest/bin/$exe" >> "$out"
    exit 0
  fi
  echo "no release asset for ropa $want on $target"
fi

# the action's own sources are one version: building them gives that version and no other, so
# a wanted version that is not theirs fails here instead of being claimed
if [ "$want" != "$own_version" ]; then
  echo "::error title=ropa::ropa $want has no release asset for this runner, and the action's sources are ropa $own_version; use the action at the v$want tag, or set version to $own_version"
  exit 2
fi
echo "building ropa $own_version from the action's sources with cargo"
cargo install --locked --quiet --path "$action_dir" --root "$dest"
built=$("$dest/bin/$exe" --version | awk '{print $2}')
if [ "$built" != "$want" ]; then
  echo "::error title=ropa::built ropa $built, not the wanted $want"
  exit 2
fi
echo "ropa $built built from the action's sources"
echo "bin=$dest/bin/$exe" >> "$out"
