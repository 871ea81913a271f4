#!/usr/bin/env bash
# Builds FerretDB v1.24.2 (the embedded and test database) from its Go module into a cache
# directory outside the repository, and reuses it when it is already there.
#
# The module is published without build/version/version.txt, and a plain `go install`
# produces a binary that panics at start; so we copy the module source, write that file,
# and build from the copy.
set -euo pipefail

version="v1.24.2"
cache_root="${REDRESS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/redress}"
target_dir="$cache_root/ferretdb-$version"
binary="$target_dir/ferretdb"

if [ -x "$binary" ] && "$binary" --version >/dev/null 2>&1; then
  echo "$binary"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "redress: Go is required to build the embedded FerretDB $version (or set MONGODB_URI to use an existing MongoDB)." >&2
  exit 1
fi

echo "redress: building FerretDB $version into $target_dir (first run only; this takes a few minutes)..." >&2
mkdir -p "$target_dir"
work=$(mktemp -d "${TMPDIR:-/tmp}/redress-ferretdb-build.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

# go mod download needs a module context-free invocation; GOFLAGS=-mod=mod keeps it from
# reading a go.mod in the current directory.
module_dir=$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$version" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
if [ -z "$module_dir" ] || [ ! -d "$module_dir" ]; then
  echo "redress: could not download the FerretDB $version module through the Go module proxy." >&2
  exit 1
fi

echo "redress:   module source at $module_dir; copying and compiling..." >&2
cp -R "$module_dir" "$work/src"
chmod -R u+w "$work/src"
mkdir -p "$work/src/build/version"
printf '%s' "$version" >"$work/src/build/version/version.txt"
(cd "$work/src" && CGO_ENABLED=0 go build -trimpath -buildvcs=false -o "$binary.tmp" ./cmd/ferretdb)
mv "$binary.tmp" "$binary"

"$binary" --version >&2
echo "redress: FerretDB $version ready." >&2
echo "$binary"
